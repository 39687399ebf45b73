package dev.platoon.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The transport AEAD on OpenSSL's libcrypto ({@link OpenSslLibrary}), in place on native memory: a
 * direct buffer's own bytes are encrypted where they lie, with no copy into the heap and back. Arrays
 * go through a native scratch area (two copies; only the handshake-side paths use arrays).
 *
 * <p>Per packet: one {@code EVP_CipherInit_ex} that sets key and nonce on a context made once per
 * direction, one {@code EVP_CipherUpdate} in place, the final call and the tag control — four native
 * calls, none of which allocates. Open hands OpenSSL the expected tag first and lets
 * {@code EVP_CipherFinal_ex} compare it (in constant time, {@code CRYPTO_memcmp}); on a mismatch the
 * buffer holds unauthenticated plaintext, which the caller drops with the packet.
 *
 * <p>One instance per thread. The contexts are freed when the instance becomes unreachable.
 */
final class OpenSslChaCha20Poly1305 extends AeadEngine {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int NATIVE_BYTES = 64; // key 32 | nonce 12 | pad 4 | outl 4 | pad
    private static final int OSSL_PARAM_BYTES = 40; // key*, data_type (+pad), data*, data_size, return_size
    private static final int OSSL_PARAM_OCTET_STRING = 5;
    private static final MemorySegment TAG_NAME = Arena.global().allocateFrom("tag"); // OSSL_CIPHER_PARAM_AEAD_TAG

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment params = arena.allocate(NATIVE_BYTES, 16);
    private final long keyAt = params.address();
    private final long nonceAt = keyAt + 32;
    private final long outLengthAt = keyAt + 48;
    private final long sealContext;
    private final long openContext;
    private final MemorySegment tagParam = arena.allocate(2 * OSSL_PARAM_BYTES, 16); // {"tag", octets, data}, end
    private final long tagDataAt = tagParam.address() + 16;
    private final int[] words = new int[8];
    private ChaChaKey sealKeyLoaded; // the key each context holds, so that an unchanged key is not set again
    private ChaChaKey openKeyLoaded;
    private MemorySegment data = arena.allocate(2048, 16); // for arrays
    private ByteBuffer lastBuffer; // the direct buffer whose base address is cached below
    private long lastBase;

    OpenSslChaCha20Poly1305() {
        if (OpenSslLibrary.REASON != null) {
            throw new IllegalStateException(OpenSslLibrary.REASON);
        }
        long s = 0, o = 0;
        try {
            s = newContext(1);
            o = newContext(0);
        } catch (RuntimeException e) {
            free(s);
            free(o);
            throw e;
        }
        sealContext = s;
        openContext = o;
        tagParam.set(ValueLayout.ADDRESS, 0, TAG_NAME);
        tagParam.set(ValueLayout.JAVA_INT, 8, OSSL_PARAM_OCTET_STRING);
        tagParam.set(ValueLayout.JAVA_LONG, 24, Protocol.TAG_LENGTH);
        long sc = s, oc = o;
        CLEANER.register(this, () -> {
            free(sc);
            free(oc);
        });
    }

    @Override
    AeadEngines.Kind kind() {
        return AeadEngines.Kind.OPENSSL;
    }

    @Override
    int seal(ChaChaKey key, long counter, byte[] buf, int off, int len) {
        MemorySegment d = data(len + Protocol.TAG_LENGTH);
        MemorySegment.copy(buf, off, d, ValueLayout.JAVA_BYTE, 0, len);
        int n = sealAt(key, counter, d.address(), len);
        if (n > 0) {
            MemorySegment.copy(d, ValueLayout.JAVA_BYTE, 0, buf, off, n);
        }
        return n;
    }

    @Override
    int open(ChaChaKey key, long counter, byte[] buf, int off, int len) {
        MemorySegment d = data(len);
        MemorySegment.copy(buf, off, d, ValueLayout.JAVA_BYTE, 0, len);
        int n = openAt(key, counter, d.address(), len);
        if (n >= 0) {
            MemorySegment.copy(d, ValueLayout.JAVA_BYTE, 0, buf, off, n);
        }
        return n;
    }

    @Override
    int seal(ChaChaKey key, long counter, ByteBuffer direct, int off, int len) {
        return sealAt(key, counter, base(direct) + off, len);
    }

    @Override
    int open(ChaChaKey key, long counter, ByteBuffer direct, int off, int len) {
        return openAt(key, counter, base(direct) + off, len);
    }

    private int sealAt(ChaChaKey key, long counter, long at, int len) {
        if (!start(sealContext, key, sealKeyLoaded, counter, 1)) {
            sealKeyLoaded = null;
            return TransportCipher.FAILED;
        }
        sealKeyLoaded = key;
        try {
            if (len > 0) {
                check((int) OpenSslLibrary.CIPHER_UPDATE.invokeExact(sealContext, at, outLengthAt, at, len) == 1
                        && outLength() == len, "EVP_CipherUpdate");
            }
            check((int) OpenSslLibrary.CIPHER_FINAL.invokeExact(sealContext, at + len, outLengthAt) == 1
                    && outLength() == 0, "EVP_CipherFinal_ex");
            if (OpenSslLibrary.CTX_GET_PARAMS != null) {
                tagParam.set(ValueLayout.JAVA_LONG, 16, at + len);
                check((int) OpenSslLibrary.CTX_GET_PARAMS.invokeExact(sealContext, tagParam.address()) == 1,
                        "EVP_CIPHER_CTX_get_params(tag)");
            } else {
                check((int) OpenSslLibrary.CTX_CTRL.invokeExact(sealContext, OpenSslLibrary.EVP_CTRL_AEAD_GET_TAG,
                        Protocol.TAG_LENGTH, at + len) == 1, "EVP_CTRL_AEAD_GET_TAG");
            }
        } catch (Throwable t) {
            throw fault(t);
        }
        return len + Protocol.TAG_LENGTH;
    }

    private int openAt(ChaChaKey key, long counter, long at, int len) {
        int plain = len - Protocol.TAG_LENGTH;
        if (plain < 0) {
            return TransportCipher.FAILED;
        }
        if (!start(openContext, key, openKeyLoaded, counter, 0)) {
            openKeyLoaded = null;
            return TransportCipher.FAILED;
        }
        openKeyLoaded = key;
        try {
            if (OpenSslLibrary.CTX_SET_PARAMS != null) {
                tagParam.set(ValueLayout.JAVA_LONG, 16, at + plain);
                check((int) OpenSslLibrary.CTX_SET_PARAMS.invokeExact(openContext, tagParam.address()) == 1,
                        "EVP_CIPHER_CTX_set_params(tag)");
            } else {
                check((int) OpenSslLibrary.CTX_CTRL.invokeExact(openContext, OpenSslLibrary.EVP_CTRL_AEAD_SET_TAG,
                        Protocol.TAG_LENGTH, at + plain) == 1, "EVP_CTRL_AEAD_SET_TAG");
            }
            if (plain > 0) {
                check((int) OpenSslLibrary.CIPHER_UPDATE.invokeExact(openContext, at, outLengthAt, at, plain) == 1
                        && outLength() == plain, "EVP_CipherUpdate");
            }
            int ok = (int) OpenSslLibrary.CIPHER_FINAL.invokeExact(openContext, at + plain, outLengthAt);
            return ok == 1 ? plain : TransportCipher.FAILED;
        } catch (Throwable t) {
            throw fault(t);
        }
    }

    /**
     * Key and nonce into the context; false when the key was destroyed (nothing is set then). A key
     * the context already holds is not set again (that costs ~0.1 µs in OpenSSL 3): only the nonce.
     * The key's bytes stay in native memory only for the length of the init call.
     */
    private boolean start(long context, ChaChaKey key, ChaChaKey loaded, long counter, int encrypt) {
        long keyArg = 0;
        if (key != loaded || key.isDestroyed()) {
            int[] w = words;
            if (!key.loadWords(w, 0)) {
                return false;
            }
            for (int i = 0; i < 8; i++) {
                params.set(INT_LE, 4L * i, w[i]);
                w[i] = 0;
            }
            keyArg = keyAt;
        }
        params.set(INT_LE, 32, 0);
        params.set(LONG_LE, 36, counter);
        try {
            int ok = (int) OpenSslLibrary.CIPHER_INIT.invokeExact(context, 0L, 0L, keyArg, nonceAt, encrypt);
            if (keyArg != 0) {
                params.asSlice(0, 32).fill((byte) 0);
            }
            check(ok == 1, "EVP_CipherInit_ex");
        } catch (Throwable t) {
            throw fault(t);
        }
        return true;
    }

    private int outLength() {
        return params.get(ValueLayout.JAVA_INT, 48);
    }

    /**
     * The address of index 0 of a direct buffer. The data path hands over the same few buffer objects
     * again and again, so the address is worked out once per object, not per packet.
     */
    private long base(ByteBuffer direct) {
        if (direct != lastBuffer) {
            lastBase = MemorySegment.ofBuffer(direct).address() - direct.position();
            lastBuffer = direct;
        }
        return lastBase;
    }

    private MemorySegment data(int n) {
        if (data.byteSize() < n) {
            data = arena.allocate(Math.max(n, Math.min(2 * data.byteSize(), 65536 + 64)), 16);
        }
        return data;
    }

    private static long newContext(int encrypt) {
        try {
            long c = (long) OpenSslLibrary.CTX_NEW.invokeExact();
            if (c == 0) {
                throw new IllegalStateException("EVP_CIPHER_CTX_new failed");
            }
            int ok = (int) OpenSslLibrary.CIPHER_INIT.invokeExact(c, OpenSslLibrary.CHACHA20_POLY1305, 0L, 0L, 0L,
                    encrypt);
            if (ok != 1) {
                free(c);
                throw new IllegalStateException("EVP_CipherInit_ex(ChaCha20-Poly1305) failed");
            }
            return c;
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw fault(t);
        }
    }

    private static void free(long context) {
        if (context != 0) {
            try {
                OpenSslLibrary.CTX_FREE.invokeExact(context);
            } catch (Throwable ignored) {
                // nothing more can be done for a context that will not free
            }
        }
    }

    private static void check(boolean ok, String call) {
        if (!ok) {
            throw new IllegalStateException("libcrypto: " + call + " failed");
        }
    }

    private static IllegalStateException fault(Throwable t) {
        return t instanceof IllegalStateException e ? e : new IllegalStateException("libcrypto call failed: " + t, t);
    }
}
