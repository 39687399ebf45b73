package dev.platoon.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * Per device, incoming side of the DoS cookies (wireguard-go CookieChecker). checkMac1 proves the
 * sender knows our public key; under load, checkMac2 proves it can receive at its source address,
 * and createReply gives it the cookie to prove that with: cookie = MAC(secret, source address and
 * port), sent as XChaCha20-Poly1305(HASH("cookie--" || our public), random nonce, cookie,
 * aad = the message's mac1). The secret is replaced when older than COOKIE_REFRESH_TIME; checkMac2
 * with an expired secret fails (as wireguard-go: a cookie older than that is not trusted).
 * Thread-safe: MAC1 checks need no lock; the secret is behind a small one.
 *
 * <p>{@code sourceAddressAndPort} is any stable encoding of the UDP source, e.g. the address bytes
 * followed by the port in big-endian order; it must be the same for checkMac2 and createReply.
 */
public final class CookieChecker implements AutoCloseable {
    private final byte[] mac1Key;
    private final byte[] cookieKey;
    private final LongSupplier nanoClock;
    private final SecureRandom random;

    /**
     * Each thread's MAC1 digest, keyed once: the queue loops check every handshake message they receive,
     * a flood included, so this check allocates nothing.
     */
    private final ThreadLocal<Mac1> mac1State;

    private static final class Mac1 {
        final Blake2sDigest digest;
        final byte[] expected = new byte[Protocol.MAC_LENGTH];

        Mac1(byte[] key) {
            digest = new Blake2sDigest(key, Protocol.MAC_LENGTH, null, null);
        }
    }

    private final byte[] secret = new byte[32];
    private boolean secretSet;
    private long secretSetNanos;

    public CookieChecker(StaticIdentity local) {
        this(local, System::nanoTime, new SecureRandom());
    }

    /** @param nanoClock monotonic nanoseconds (System::nanoTime, injected in tests) */
    public CookieChecker(StaticIdentity local, LongSupplier nanoClock, SecureRandom random) {
        this.mac1Key = local.mac1Key();
        this.mac1State = ThreadLocal.withInitial(() -> new Mac1(mac1Key));
        this.cookieKey = local.cookieKey();
        this.nanoClock = nanoClock;
        this.random = random;
    }

    /** True when mac1 of the 148- or 92-byte message at {@code msg[off..+len)} is right for our key. */
    public boolean checkMac1(byte[] msg, int off, int len) {
        if (!validLength(msg, off, len)) {
            return false;
        }
        int mac1 = Protocol.mac1Offset(off, len);
        Mac1 m = mac1State.get();
        m.digest.update(msg, off, mac1 - off);
        m.digest.doFinal(m.expected, 0); // and back to the keyed initial state for the next message
        return equalInConstantTime(msg, mac1, m.expected);
    }

    public boolean checkMac1(byte[] msg, int len) {
        return checkMac1(msg, 0, len);
    }

    /** True when mac2 was made with the cookie we would give {@code sourceAddressAndPort} now. */
    public boolean checkMac2(byte[] msg, int off, int len, byte[] sourceAddressAndPort) {
        if (!validLength(msg, off, len)) {
            return false;
        }
        int mac2 = Protocol.mac2Offset(off, len);
        if (isZero(msg, mac2, Protocol.MAC_LENGTH)) {
            // A sender with no cookie leaves mac2 zero; a real one is zero with probability 2^-128.
            // Under a flood this skips the two MACs of the check, the bulk of its cost.
            return false;
        }
        byte[] cookie;
        synchronized (this) {
            if (!secretSet || nanoClock.getAsLong() - secretSetNanos > Protocol.COOKIE_REFRESH_TIME_NANOS) {
                return false;
            }
            cookie = Blake2s.mac(secret, sourceAddressAndPort, 0, sourceAddressAndPort.length);
        }
        byte[] expected = Blake2s.mac(cookie, msg, off, mac2 - off);
        Arrays.fill(cookie, (byte) 0);
        return CookieGenerator.macEquals(msg, mac2, expected);
    }

    public boolean checkMac2(byte[] msg, int len, byte[] sourceAddressAndPort) {
        return checkMac2(msg, 0, len, sourceAddressAndPort);
    }

    /**
     * Writes a 64-byte cookie reply to the handshake message {@code msg[off..+len)} (whose mac1 must
     * have been checked) into {@code out[outOff..+64)}. {@code receiverIndex} is the sender index of
     * the message being answered.
     */
    public void createReply(byte[] msg, int off, int len, int receiverIndex, byte[] sourceAddressAndPort,
                            byte[] out, int outOff) {
        CookieGenerator.requireHandshakeLength(len);
        Objects.checkFromIndexSize(off, len, msg.length);
        Objects.checkFromIndexSize(outOff, Protocol.MESSAGE_COOKIE_REPLY_SIZE, out.length);
        byte[] cookie;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (!secretSet || now - secretSetNanos > Protocol.COOKIE_REFRESH_TIME_NANOS) {
                random.nextBytes(secret);
                secretSet = true;
                secretSetNanos = now;
            }
            cookie = Blake2s.mac(secret, sourceAddressAndPort, 0, sourceAddressAndPort.length);
        }
        byte[] nonce = new byte[Protocol.COOKIE_NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] mac1 = Arrays.copyOfRange(msg, Protocol.mac1Offset(off, len), Protocol.mac2Offset(off, len));
        CookieReplyMessage reply = new CookieReplyMessage().wrap(out, outOff).writeHeader().receiver(receiverIndex);
        System.arraycopy(nonce, 0, out, reply.nonceOffset(), Protocol.COOKIE_NONCE_LENGTH);
        XChaCha20Poly1305.seal(cookieKey, nonce, cookie, 0, Protocol.COOKIE_LENGTH, mac1, out, reply.cookieOffset());
        Arrays.fill(cookie, (byte) 0);
    }

    public void createReply(byte[] msg, int len, int receiverIndex, byte[] sourceAddressAndPort, byte[] out64) {
        createReply(msg, 0, len, receiverIndex, sourceAddressAndPort, out64, 0);
    }

    /** Wipes the cookie secret; the next createReply makes a new one. */
    @Override
    public synchronized void close() {
        Arrays.fill(secret, (byte) 0);
        secretSet = false;
    }

    private static boolean equalInConstantTime(byte[] msg, int off, byte[] expected) {
        int diff = 0;
        for (int i = 0; i < Protocol.MAC_LENGTH; i++) {
            diff |= msg[off + i] ^ expected[i];
        }
        return diff == 0;
    }

    private static boolean isZero(byte[] b, int off, int len) {
        int acc = 0;
        for (int i = off; i < off + len; i++) {
            acc |= b[i];
        }
        return acc == 0;
    }

    private static boolean validLength(byte[] msg, int off, int len) {
        return (len == Protocol.MESSAGE_INITIATION_SIZE || len == Protocol.MESSAGE_RESPONSE_SIZE)
                && off >= 0 && msg.length - off >= len;
    }
}
