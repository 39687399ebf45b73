package dev.platoon.crypto;

/**
 * The transport AEAD engines this JVM has, and which one the data path uses. Filled in by the
 * chooser; for now the kinds and how to make one.
 */
public final class AeadEngines {
    /** The engines, fastest expected first. {@link #JDK_CIPHER} is the safe one: the JDK's public API. */
    public enum Kind {
        /** OpenSSL's libcrypto through the FFM API, in place on native memory. */
        OPENSSL("openssl"),
        /** The JDK's ChaCha20 stub (or plain Java) and our own 64-bit-limb Poly1305. */
        JAVA("java"),
        /** The JDK's private ChaCha20 and Poly1305 stubs driven in place. */
        JDK_STUBS("jdk-stubs"),
        /** javax.crypto.Cipher, re-initialised per packet. */
        JDK_CIPHER("jdk-cipher");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The short name used in logs, {@code platoon show}, metrics and {@code PLATOON_CIPHER}. */
        public String label() {
            return label;
        }
    }

    private AeadEngines() {
    }
}
