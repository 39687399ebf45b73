package dev.platoon.crypto;

import java.util.Arrays;

/**
 * Our static key pair, plus what every incoming handshake message is checked against: the MAC1 key
 * HASH("mac1----" || our public) and the cookie key HASH("cookie--" || our public). Immutable until
 * {@link #close()}, which zeroes the private key. toString never shows the private key.
 */
public final class StaticIdentity implements AutoCloseable {
    private final byte[] privateKey;
    private final byte[] publicKey;
    private final byte[] mac1Key;
    private final byte[] cookieKey;
    /** HASH(HASH(HASH(CONSTRUCTION) || IDENTIFIER) || our public): where a responder starts. */
    private final byte[] responderInitialHash;
    private volatile boolean closed;

    /** Copies the key; the caller may wipe its array afterwards. */
    public StaticIdentity(byte[] privateKey) {
        if (privateKey == null || privateKey.length != Protocol.KEY_LENGTH) {
            throw new IllegalArgumentException("a private key has " + Protocol.KEY_LENGTH + " bytes");
        }
        this.privateKey = privateKey.clone();
        this.publicKey = Keys.publicKey(this.privateKey);
        this.mac1Key = Blake2s.hash(Protocol.LABEL_MAC1_BYTES, publicKey);
        this.cookieKey = Blake2s.hash(Protocol.LABEL_COOKIE_BYTES, publicKey);
        this.responderInitialHash = Blake2s.hash(Handshake.INITIAL_HASH, publicKey);
    }

    public static StaticIdentity generate() {
        byte[] k = Keys.generatePrivateKey();
        try {
            return new StaticIdentity(k);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** A copy of our public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    byte[] privateKeyRef() {
        if (closed) {
            throw new IllegalStateException("static identity was closed");
        }
        return privateKey;
    }

    byte[] publicKeyRef() {
        return publicKey;
    }

    byte[] mac1Key() {
        return mac1Key;
    }

    byte[] cookieKey() {
        return cookieKey;
    }

    byte[] responderInitialHash() {
        return responderInitialHash;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Zeroes the private key. Handshakes made with this identity fail afterwards. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(privateKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "StaticIdentity[public=" + Keys.toBase64(publicKey) + (closed ? ", closed" : "") + "]";
    }
}
