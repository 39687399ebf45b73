package dev.platoon.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Per peer, outgoing side of the DoS cookies (whitepaper 5.4.4, wireguard-go CookieGenerator): puts
 * mac1 = MAC(HASH("mac1----" || peer public), msg[..mac1]) on every handshake message we send, and
 * mac2 = MAC(cookie, msg[..mac2]) while we hold a cookie younger than COOKIE_REFRESH_TIME (else
 * zeros). Decrypts the peer's cookie replies, but only one that answers the last mac1 we sent.
 * Thread-safe (a small lock; handshake path only).
 */
public final class CookieGenerator {
    private final byte[] mac1Key;
    private final byte[] cookieKey;
    private final LongSupplier nanoClock;

    private final byte[] cookie = new byte[Protocol.COOKIE_LENGTH];
    private boolean hasCookie;
    private long cookieReceivedNanos;
    private final byte[] lastMac1 = new byte[Protocol.MAC_LENGTH];
    private boolean hasLastMac1;

    public CookieGenerator(byte[] remoteStaticPublic) {
        this(remoteStaticPublic, System::nanoTime);
    }

    /** @param nanoClock monotonic nanoseconds (System::nanoTime, injected in tests) */
    public CookieGenerator(byte[] remoteStaticPublic, LongSupplier nanoClock) {
        if (remoteStaticPublic == null || remoteStaticPublic.length != 32) {
            throw new IllegalArgumentException("a peer public key has 32 bytes");
        }
        this.mac1Key = Blake2s.hash(Protocol.LABEL_MAC1_BYTES, remoteStaticPublic);
        this.cookieKey = Blake2s.hash(Protocol.LABEL_COOKIE_BYTES, remoteStaticPublic);
        this.nanoClock = nanoClock;
    }

    /**
     * Fills mac1 and mac2 of an initiation (len 148) or response (len 92) at {@code msg[off..+len)}.
     */
    public synchronized void addMacs(byte[] msg, int off, int len) {
        requireHandshakeLength(len);
        Objects.checkFromIndexSize(off, len, msg.length);
        int mac1 = Protocol.mac1Offset(off, len);
        int mac2 = Protocol.mac2Offset(off, len);
        Blake2s.mac(mac1Key, msg, off, mac1 - off, msg, mac1);
        System.arraycopy(msg, mac1, lastMac1, 0, Protocol.MAC_LENGTH);
        hasLastMac1 = true;
        if (hasCookie && nanoClock.getAsLong() - cookieReceivedNanos < Protocol.COOKIE_REFRESH_TIME_NANOS) {
            Blake2s.mac(cookie, msg, off, mac2 - off, msg, mac2);
        } else {
            Arrays.fill(msg, mac2, mac2 + Protocol.MAC_LENGTH, (byte) 0);
        }
    }

    public void addMacs(byte[] msg, int len) {
        addMacs(msg, 0, len);
    }

    /**
     * Consumes a 64-byte cookie reply at {@code msg[off..)}: true when it decrypts against our last
     * mac1 (the cookie is then used for mac2 from now on), false otherwise (drop it). Finding the peer
     * by the reply's receiver index is the device's job.
     */
    public synchronized boolean consumeReply(byte[] msg, int off) {
        if (off < 0 || msg.length - off < Protocol.MESSAGE_COOKIE_REPLY_SIZE
                || Protocol.messageType(msg, off) != Protocol.MESSAGE_COOKIE_REPLY || !hasLastMac1) {
            return false;
        }
        CookieReplyMessage reply = new CookieReplyMessage().wrap(msg, off);
        byte[] nonce = Arrays.copyOfRange(msg, reply.nonceOffset(), reply.nonceOffset() + Protocol.COOKIE_NONCE_LENGTH);
        byte[] fresh = new byte[Protocol.COOKIE_LENGTH];
        if (!XChaCha20Poly1305.open(cookieKey, nonce, msg, reply.cookieOffset(),
                Protocol.COOKIE_LENGTH + Protocol.TAG_LENGTH, lastMac1, fresh, 0)) {
            return false;
        }
        System.arraycopy(fresh, 0, cookie, 0, Protocol.COOKIE_LENGTH);
        Arrays.fill(fresh, (byte) 0);
        hasCookie = true;
        cookieReceivedNanos = nanoClock.getAsLong();
        hasLastMac1 = false; // one reply per mac1: a second copy of the reply is ignored
        return true;
    }

    /** True while a cookie younger than COOKIE_REFRESH_TIME is held (mac2 will be added). */
    public synchronized boolean hasFreshCookie() {
        return hasCookie && nanoClock.getAsLong() - cookieReceivedNanos < Protocol.COOKIE_REFRESH_TIME_NANOS;
    }

    /** Forgets the cookie (wipes it). */
    public synchronized void clear() {
        Arrays.fill(cookie, (byte) 0);
        hasCookie = false;
        hasLastMac1 = false;
    }

    static void requireHandshakeLength(int len) {
        if (len != Protocol.MESSAGE_INITIATION_SIZE && len != Protocol.MESSAGE_RESPONSE_SIZE) {
            throw new IllegalArgumentException("MACs go on a 148- or 92-byte handshake message, not " + len);
        }
    }

    static boolean macEquals(byte[] a, int aOff, byte[] expected) {
        return MessageDigest.isEqual(Arrays.copyOfRange(a, aOff, aOff + Protocol.MAC_LENGTH), expected);
    }
}
