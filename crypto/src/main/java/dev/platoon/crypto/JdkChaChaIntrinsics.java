package dev.platoon.crypto;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.Key;
import java.security.spec.AlgorithmParameterSpec;

import javax.crypto.spec.SecretKeySpec;

/**
 * The two HotSpot stubs behind the JDK's ChaCha20-Poly1305, called directly: the ChaCha20 block
 * function ({@code ChaCha20Cipher.implChaCha20Block}, AVX-512: 16 blocks per call) and the Poly1305
 * block loop ({@code Poly1305.processMultipleBlocks}, AVX-512 IFMA; measured here without AVX-512
 * ({@code -XX:UseAVX=2}) it runs the JDK's Java body, as the JDK's own Cipher then does).
 *
 * <p>Why: the JDK's {@code Cipher} must be re-initialised for every packet (the nonce changes), and
 * that init costs more than encrypting a 1400-byte packet — it computes a 1 KB key stream up front,
 * another 1 KB for the 32-byte Poly1305 key, builds a new Poly1305 state in Java field arithmetic and
 * allocates ~2.2 KB (profile and numbers: docs/benchmarks.md). Driving the same two stubs ourselves
 * leaves only the work the construction needs. Both are {@code private} JDK methods: this needs
 * {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED} and
 * {@code --add-opens java.base/sun.security.util.math=ALL-UNNAMED} (the launcher, the packages and the
 * tests pass them). Where they are missing or the JDK's internals differ, {@link #AVAILABLE} is false,
 * {@link #UNAVAILABLE_REASON} says why, and {@link TransportCipher} uses the public {@code Cipher} API.
 *
 * <p>The method handles are {@code static final}, so C2 inlines through them to the intrinsic just as
 * it does for the JDK's own callers; before C2, the JDK's pure-Java bodies run, with the same results.
 */
final class JdkChaChaIntrinsics {
    /** True when both stubs were found and {@link ChaCha20Poly1305InPlace#selfTest()} passed on them. */
    static final boolean AVAILABLE;
    /** Why {@link #AVAILABLE} is false (one line), or null. */
    static final String UNAVAILABLE_REASON;
    /**
     * True when the ChaCha20 block stub alone is usable (it needs only the com.sun.crypto.provider
     * opening) and gave the same blocks as {@link ChaCha20Blocks}: what {@link JavaChaCha20Poly1305}
     * needs, which brings its own Poly1305.
     */
    static final boolean CHACHA20_AVAILABLE;
    /** Why {@link #CHACHA20_AVAILABLE} is false (one line), or null. */
    static final String CHACHA20_UNAVAILABLE_REASON;

    /** The most key stream one call writes (16 blocks, AVX-512). */
    static final int KEY_STREAM_BYTES = 1024;

    private static final MethodHandle CHACHA20_BLOCK;
    private static final MethodHandle POLY1305_BLOCKS;
    private static final MethodHandle POLY1305_NEW;
    private static final MethodHandle POLY1305_INIT;
    private static final MethodHandle POLY1305_ACCUMULATOR;
    private static final MethodHandle POLY1305_R;
    private static final MethodHandle LIMBS;

    static {
        // The ChaCha20 stub first, on its own: the Java engine can use it without the Poly1305 one.
        MethodHandle block = null;
        String chachaReason = null;
        try {
            Class<?> chacha = Class.forName("com.sun.crypto.provider.ChaCha20Cipher");
            MethodHandles.Lookup inChaCha = MethodHandles.privateLookupIn(chacha, MethodHandles.lookup());
            block = inChaCha.findStatic(chacha, "implChaCha20Block",
                    MethodType.methodType(int.class, int[].class, byte[].class));
        } catch (IllegalAccessException e) {
            chachaReason = "the JVM was started without --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED";
        } catch (ReflectiveOperationException | RuntimeException e) {
            chachaReason = "this JDK's ChaCha20 internals differ (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")";
        }
        CHACHA20_BLOCK = block;
        if (chachaReason == null) {
            chachaReason = chaCha20SelfTest();
        }
        CHACHA20_AVAILABLE = chachaReason == null;
        CHACHA20_UNAVAILABLE_REASON = chachaReason;

        MethodHandle blocks = null, create = null, init = null, acc = null, r = null, limbs = null;
        String reason = null;
        try {
            Class<?> poly = Class.forName("com.sun.crypto.provider.Poly1305");
            Class<?> element = Class.forName("sun.security.util.math.IntegerModuloP");
            Class<?> mutable = Class.forName("sun.security.util.math.MutableIntegerModuloP");
            MethodHandles.Lookup inPoly = MethodHandles.privateLookupIn(poly, MethodHandles.lookup());
            MethodHandles.Lookup inMath = MethodHandles.privateLookupIn(element, MethodHandles.lookup());
            blocks = inPoly.findVirtual(poly, "processMultipleBlocks", MethodType.methodType(void.class,
                    byte[].class, int.class, int.class, long[].class, long[].class))
                    .asType(MethodType.methodType(void.class, Object.class, byte[].class, int.class, int.class,
                            long[].class, long[].class));
            create = inPoly.findConstructor(poly, MethodType.methodType(void.class, boolean.class))
                    .asType(MethodType.methodType(Object.class, boolean.class));
            init = inPoly.findVirtual(poly, "engineInit",
                    MethodType.methodType(void.class, Key.class, AlgorithmParameterSpec.class))
                    .asType(MethodType.methodType(void.class, Object.class, Key.class, AlgorithmParameterSpec.class));
            acc = inPoly.findGetter(poly, "a", mutable).asType(MethodType.methodType(Object.class, Object.class));
            r = inPoly.findGetter(poly, "r", element).asType(MethodType.methodType(Object.class, Object.class));
            limbs = inMath.findVirtual(element, "getLimbs", MethodType.methodType(long[].class))
                    .asType(MethodType.methodType(long[].class, Object.class));
        } catch (IllegalAccessException e) {
            reason = "the JVM was started without --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED"
                    + " --add-opens java.base/sun.security.util.math=ALL-UNNAMED";
        } catch (ReflectiveOperationException | RuntimeException e) {
            reason = "this JDK's ChaCha20-Poly1305 internals differ (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")";
        }
        POLY1305_BLOCKS = blocks;
        POLY1305_NEW = create;
        POLY1305_INIT = init;
        POLY1305_ACCUMULATOR = acc;
        POLY1305_R = r;
        LIMBS = limbs;
        if (reason == null) {
            reason = chachaReason;
        }
        if (reason == null) {
            reason = ChaCha20Poly1305InPlace.selfTest();
        }
        AVAILABLE = reason == null;
        UNAVAILABLE_REASON = reason;
    }

    private JdkChaChaIntrinsics() {
    }

    /** The stub's blocks against {@link ChaCha20Blocks} for one state: null when they agree, else why not. */
    private static String chaCha20SelfTest() {
        try {
            int[] state = new int[16];
            ChaCha20State.putConstants(state); // the JDK's Java body uses its own constants, not words 0-3
            for (int i = 4; i < 16; i++) {
                state[i] = 0x9e3779b9 * i;
            }
            state[12] = -3; // the 32-bit block counter wraps within the call, as in the JDK's Java code
            byte[] stub = new byte[KEY_STREAM_BYTES];
            int n = (int) CHACHA20_BLOCK.invokeExact(state, stub);
            if (n < 64 || n > KEY_STREAM_BYTES || (n & 63) != 0) {
                return "self-test: the ChaCha20 stub returned " + n + " bytes of key stream";
            }
            byte[] plain = new byte[KEY_STREAM_BYTES];
            ChaCha20Blocks.blocks(state, plain, n >>> 6);
            return java.util.Arrays.equals(stub, 0, n, plain, 0, n) ? null
                    : "self-test: the ChaCha20 stub's key stream differs from the plain Java one";
        } catch (Throwable t) {
            return "self-test of the ChaCha20 stub failed: " + t;
        }
    }

    /**
     * Fills {@code keyStream} (1024 bytes) with ChaCha20 blocks from {@code state} (16 words, word 12 =
     * block counter) and returns how many bytes it wrote: 64 in the JDK's Java code, up to 1024 in
     * the stub. The state is not changed.
     */
    static int chaCha20Blocks(int[] state, byte[] keyStream) {
        // The stub neither checks bounds nor knows how long the arrays are: these two lengths are its contract.
        if (state.length != 16 || keyStream.length != KEY_STREAM_BYTES) {
            throw new IllegalArgumentException("ChaCha20 state must be 16 words and the key stream 1024 bytes");
        }
        int n;
        try {
            n = (int) CHACHA20_BLOCK.invokeExact(state, keyStream);
        } catch (Throwable t) {
            throw new IllegalStateException("ChaCha20 block stub failed", t);
        }
        // What the stub writes depends on the CPU (64 bytes in Java, 256-1024 in the stubs): take its
        // word for it only within what the array can hold, in whole blocks.
        if (n < 64 || n > keyStream.length || (n & 63) != 0) {
            throw new IllegalStateException("ChaCha20 block stub returned " + n + " bytes of key stream");
        }
        return n;
    }

    /**
     * One Poly1305 accumulator and key, in the JDK's representation (five 26-bit limbs in
     * {@code long[5]}, possibly unreduced and signed between calls). The limb arrays are the JDK
     * object's own, so its Java fallback and the stub both update {@link #accumulator}.
     */
    static final class Poly1305State implements Poly1305Blocks {
        final Object jdkPoly;
        final long[] accumulator;
        final long[] r;

        Poly1305State() {
            try {
                jdkPoly = (Object) POLY1305_NEW.invokeExact(false);
                byte[] placeholder = new byte[32];
                java.util.Arrays.fill(placeholder, (byte) 1);
                POLY1305_INIT.invokeExact(jdkPoly, (Key) new SecretKeySpec(placeholder, "Poly1305"),
                        (AlgorithmParameterSpec) null);
                accumulator = (long[]) LIMBS.invokeExact((Object) POLY1305_ACCUMULATOR.invokeExact(jdkPoly));
                r = (long[]) LIMBS.invokeExact((Object) POLY1305_R.invokeExact(jdkPoly));
            } catch (Throwable t) {
                throw new IllegalStateException("cannot set up the JDK's Poly1305", t);
            }
            if (accumulator.length != 5 || r.length != 5) {
                throw new IllegalStateException("the JDK's Poly1305 no longer uses five limbs");
            }
        }

        /** Absorbs {@code len} bytes (a multiple of 16), each 16-byte block with its 2^128 bit. */
        @Override
        public void blocks(byte[] in, int off, int len) {
            // The stub reads len bytes from off without a bounds check of its own.
            java.util.Objects.checkFromIndexSize(off, len, in.length);
            if ((len & 15) != 0) {
                throw new IllegalArgumentException("Poly1305 blocks are 16 bytes");
            }
            try {
                POLY1305_BLOCKS.invokeExact(jdkPoly, in, off, len, accumulator, r);
            } catch (Throwable t) {
                throw new IllegalStateException("Poly1305 block stub failed", t);
            }
        }
    }
}
