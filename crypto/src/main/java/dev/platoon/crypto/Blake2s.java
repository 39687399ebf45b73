package dev.platoon.crypto;

import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The whitepaper's HASH, MAC and HMAC over BLAKE2s (Bouncy Castle). Handshake-path only: every call
 * makes its own digest, so these are thread-safe and never share state between peers.
 */
public final class Blake2s {
    public static final int HASH_LENGTH = 32;

    private Blake2s() {
    }

    /** HASH(a || b || ...): BLAKE2s-256 of the concatenation. */
    public static byte[] hash(byte[]... parts) {
        Blake2sDigest d = new Blake2sDigest(256);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[HASH_LENGTH];
        d.doFinal(out, 0);
        return out;
    }

    /** Noise MixHash, in place: {@code h = HASH(h || data[off, off+len))}. */
    static void mixHash(byte[] h, byte[] data, int off, int len) {
        Blake2sDigest d = new Blake2sDigest(256);
        d.update(h, 0, HASH_LENGTH);
        d.update(data, off, len);
        d.doFinal(h, 0);
    }

    static void mixHash(byte[] h, byte[] data) {
        mixHash(h, data, 0, data.length);
    }

    /** MAC(key, data): keyed BLAKE2s with a 16-byte output, written to {@code out[outOff..+16)}. */
    public static void mac(byte[] key, byte[] data, int off, int len, byte[] out, int outOff) {
        Blake2sDigest d = new Blake2sDigest(key, Protocol.MAC_LENGTH, null, null);
        d.update(data, off, len);
        d.doFinal(out, outOff);
    }

    public static byte[] mac(byte[] key, byte[] data, int off, int len) {
        byte[] out = new byte[Protocol.MAC_LENGTH];
        mac(key, data, off, len, out, 0);
        return out;
    }

    /** HMAC(key, a || b || ...) with BLAKE2s-256 (block 64 bytes), as RFC 2104 builds it. */
    public static byte[] hmac(byte[] key, byte[]... parts) {
        HMac h = new HMac(new Blake2sDigest(256));
        h.init(new KeyParameter(key));
        for (byte[] p : parts) {
            h.update(p, 0, p.length);
        }
        byte[] out = new byte[HASH_LENGTH];
        h.doFinal(out, 0);
        return out;
    }
}
