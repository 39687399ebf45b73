package dev.platoon.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * X25519 from OpenSSL's libcrypto (the EVP_PKEY API, OpenSSL 1.1.1 through 3.x): ~30 µs an operation
 * on a machine where Bouncy Castle's Java takes several times that, and each handshake takes two to
 * four. Handshake path only; every call makes and frees its own EVP objects, so it is thread-safe.
 *
 * <p>{@link #REASON} is null when usable, else one line saying why not; {@link Curve25519} then stays
 * on Bouncy Castle.
 */
final class OpenSslX25519 {
    private static final int EVP_PKEY_X25519 = 1034; // NID_X25519

    static final String REASON;
    private static final MethodHandle NEW_PRIVATE; // EVP_PKEY *EVP_PKEY_new_raw_private_key(int, ENGINE *, const uchar *, size_t)
    private static final MethodHandle NEW_PUBLIC;  // EVP_PKEY *EVP_PKEY_new_raw_public_key(int, ENGINE *, const uchar *, size_t)
    private static final MethodHandle GET_PUBLIC;  // int EVP_PKEY_get_raw_public_key(const EVP_PKEY *, uchar *, size_t *)
    private static final MethodHandle PKEY_FREE;   // void EVP_PKEY_free(EVP_PKEY *)
    private static final MethodHandle CTX_NEW;     // EVP_PKEY_CTX *EVP_PKEY_CTX_new(EVP_PKEY *, ENGINE *)
    private static final MethodHandle CTX_FREE;    // void EVP_PKEY_CTX_free(EVP_PKEY_CTX *)
    private static final MethodHandle DERIVE_INIT; // int EVP_PKEY_derive_init(EVP_PKEY_CTX *)
    private static final MethodHandle SET_PEER;    // int EVP_PKEY_derive_set_peer(EVP_PKEY_CTX *, EVP_PKEY *)
    private static final MethodHandle DERIVE;      // int EVP_PKEY_derive(EVP_PKEY_CTX *, uchar *, size_t *)

    static {
        String reason = null;
        MethodHandle newPrivate = null, newPublic = null, getPublic = null, pkeyFree = null, ctxNew = null,
                ctxFree = null, deriveInit = null, setPeer = null, derive = null;
        try {
            SymbolLookup lib = OpenSslLibrary.LOOKUP;
            if (lib == null) {
                throw new UnsupportedOperationException(OpenSslLibrary.REASON);
            }
            Linker linker = Linker.nativeLinker();
            ValueLayout.OfLong ptr = ValueLayout.JAVA_LONG;
            ValueLayout.OfInt i32 = ValueLayout.JAVA_INT;
            java.util.function.Function<String, MemorySegment> sym = n -> lib.find(n)
                    .orElseThrow(() -> new UnsupportedOperationException("libcrypto has no " + n));
            newPrivate = linker.downcallHandle(sym.apply("EVP_PKEY_new_raw_private_key"),
                    FunctionDescriptor.of(ptr, i32, ptr, ptr, ptr));
            newPublic = linker.downcallHandle(sym.apply("EVP_PKEY_new_raw_public_key"),
                    FunctionDescriptor.of(ptr, i32, ptr, ptr, ptr));
            getPublic = linker.downcallHandle(sym.apply("EVP_PKEY_get_raw_public_key"),
                    FunctionDescriptor.of(i32, ptr, ptr, ptr));
            pkeyFree = linker.downcallHandle(sym.apply("EVP_PKEY_free"), FunctionDescriptor.ofVoid(ptr));
            ctxNew = linker.downcallHandle(sym.apply("EVP_PKEY_CTX_new"), FunctionDescriptor.of(ptr, ptr, ptr));
            ctxFree = linker.downcallHandle(sym.apply("EVP_PKEY_CTX_free"), FunctionDescriptor.ofVoid(ptr));
            deriveInit = linker.downcallHandle(sym.apply("EVP_PKEY_derive_init"), FunctionDescriptor.of(i32, ptr));
            setPeer = linker.downcallHandle(sym.apply("EVP_PKEY_derive_set_peer"), FunctionDescriptor.of(i32, ptr, ptr));
            derive = linker.downcallHandle(sym.apply("EVP_PKEY_derive"), FunctionDescriptor.of(i32, ptr, ptr, ptr));
        } catch (UnsupportedOperationException e) {
            reason = e.getMessage();
        } catch (Throwable e) { // IllegalCallerException without --enable-native-access, linkage, ...
            reason = "libcrypto could not be linked: " + e;
        }
        NEW_PRIVATE = newPrivate;
        NEW_PUBLIC = newPublic;
        GET_PUBLIC = getPublic;
        PKEY_FREE = pkeyFree;
        CTX_NEW = ctxNew;
        CTX_FREE = ctxFree;
        DERIVE_INIT = deriveInit;
        SET_PEER = setPeer;
        DERIVE = derive;
        REASON = reason;
    }

    private OpenSslX25519() {
    }

    /**
     * X25519(privateKey, publicKey) into {@code out}; false when libcrypto refused — which it does for
     * an all-zero result (a low-order public key), and for nothing else a caller can cause.
     */
    static boolean sharedSecret(byte[] privateKey, byte[] publicKey, byte[] out) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment priv = arena.allocate(32);
            MemorySegment.copy(privateKey, 0, priv, ValueLayout.JAVA_BYTE, 0, 32);
            MemorySegment pub = arena.allocateFrom(ValueLayout.JAVA_BYTE, publicKey);
            MemorySegment secret = arena.allocate(32);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_LONG);
            long ours = 0, theirs = 0, ctx = 0;
            try {
                ours = (long) NEW_PRIVATE.invokeExact(EVP_PKEY_X25519, 0L, priv.address(), 32L);
                theirs = (long) NEW_PUBLIC.invokeExact(EVP_PKEY_X25519, 0L, pub.address(), 32L);
                if (ours == 0 || theirs == 0) {
                    return false;
                }
                ctx = (long) CTX_NEW.invokeExact(ours, 0L);
                length.set(ValueLayout.JAVA_LONG, 0, 32L);
                boolean ok = ctx != 0
                        && (int) DERIVE_INIT.invokeExact(ctx) == 1
                        && (int) SET_PEER.invokeExact(ctx, theirs) == 1
                        && (int) DERIVE.invokeExact(ctx, secret.address(), length.address()) == 1
                        && length.get(ValueLayout.JAVA_LONG, 0) == 32L;
                if (ok) {
                    MemorySegment.copy(secret, ValueLayout.JAVA_BYTE, 0, out, 0, 32);
                }
                return ok;
            } finally {
                secret.fill((byte) 0);
                priv.fill((byte) 0);
                if (ctx != 0) {
                    CTX_FREE.invokeExact(ctx);
                }
                if (theirs != 0) {
                    PKEY_FREE.invokeExact(theirs);
                }
                if (ours != 0) { // EVP_PKEY_free clears the private key it holds
                    PKEY_FREE.invokeExact(ours);
                }
            }
        } catch (Throwable e) {
            throw new IllegalStateException("libcrypto X25519: " + e, e);
        }
    }

    /** The public key of {@code privateKey} into {@code out}; false when libcrypto refused. */
    static boolean publicKey(byte[] privateKey, byte[] out) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment priv = arena.allocate(32);
            MemorySegment.copy(privateKey, 0, priv, ValueLayout.JAVA_BYTE, 0, 32);
            MemorySegment pub = arena.allocate(32);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_LONG);
            length.set(ValueLayout.JAVA_LONG, 0, 32L);
            long key = 0;
            try {
                key = (long) NEW_PRIVATE.invokeExact(EVP_PKEY_X25519, 0L, priv.address(), 32L);
                boolean ok = key != 0 && (int) GET_PUBLIC.invokeExact(key, pub.address(), length.address()) == 1
                        && length.get(ValueLayout.JAVA_LONG, 0) == 32L;
                if (ok) {
                    MemorySegment.copy(pub, ValueLayout.JAVA_BYTE, 0, out, 0, 32);
                }
                return ok;
            } finally {
                priv.fill((byte) 0);
                if (key != 0) {
                    PKEY_FREE.invokeExact(key);
                }
            }
        } catch (Throwable e) {
            throw new IllegalStateException("libcrypto X25519: " + e, e);
        }
    }
}
