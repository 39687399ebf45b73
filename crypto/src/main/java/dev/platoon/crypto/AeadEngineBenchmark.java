package dev.platoon.crypto;

/**
 * One transport AEAD engine driven directly with one key, so the JMH benchmarks (in the bench
 * module, which sees only public API) can compare engines on the same call, whatever
 * {@link TransportCipher} would choose. Not for the data path: no keypair, no counter checks.
 */
public final class AeadEngineBenchmark {
    /** The engines {@link #create} knows, by name. */
    public static final String JAVA = "java"; // JavaChaCha20Poly1305, ChaCha20 stub when reachable
    public static final String JAVA_PLAIN = "java-plain"; // JavaChaCha20Poly1305 forced to plain-Java ChaCha20
    public static final String JDK_STUBS = "jdk-stubs"; // ChaCha20Poly1305InPlace

    private final JavaChaCha20Poly1305 java; // exactly one of these two is set
    private final ChaCha20Poly1305InPlace jdkStubs;
    private final ChaChaKey key;

    private AeadEngineBenchmark(JavaChaCha20Poly1305 java, ChaCha20Poly1305InPlace jdkStubs, byte[] key) {
        this.java = java;
        this.jdkStubs = jdkStubs;
        this.key = new ChaChaKey(key);
    }

    /**
     * The named engine ({@link #JAVA}, {@link #JAVA_PLAIN} or {@link #JDK_STUBS}) with a 32-byte key;
     * throws {@link IllegalStateException} when this JVM cannot run it (the stubs need --add-opens).
     */
    public static AeadEngineBenchmark create(String engine, byte[] key) {
        return switch (engine) {
            case JAVA -> new AeadEngineBenchmark(new JavaChaCha20Poly1305(), null, key);
            case JAVA_PLAIN -> new AeadEngineBenchmark(new JavaChaCha20Poly1305(false), null, key);
            case JDK_STUBS -> {
                if (!JdkChaChaIntrinsics.AVAILABLE) {
                    throw new IllegalStateException(JdkChaChaIntrinsics.UNAVAILABLE_REASON);
                }
                yield new AeadEngineBenchmark(null, new ChaCha20Poly1305InPlace(), key);
            }
            default -> throw new IllegalArgumentException("unknown engine " + engine);
        };
    }

    /** Which engine and key stream this is, in one line. */
    public String describe() {
        if (java != null) {
            return "java (" + (java.usesStubKeyStream() ? "ChaCha20 stub" : "plain-Java ChaCha20") + ", 64-bit Poly1305)";
        }
        return "jdk-stubs (the JDK's ChaCha20 and Poly1305 stubs)";
    }

    /** Seals {@code buf[off..off+len)} in place, tag at {@code off+len}; {@code len+16}. */
    public int seal(long counter, byte[] buf, int off, int len) {
        return java != null ? java.seal(key, counter, buf, off, len) : jdkStubs.seal(key, counter, buf, off, len);
    }

    /** Opens {@code len} bytes of ciphertext and tag in place; the plaintext length or -1. */
    public int open(long counter, byte[] buf, int off, int len) {
        return java != null ? java.open(key, counter, buf, off, len) : jdkStubs.open(key, counter, buf, off, len);
    }
}
