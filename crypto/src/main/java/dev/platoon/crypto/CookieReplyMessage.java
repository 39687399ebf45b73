package dev.platoon.crypto;

/**
 * Flyweight over a cookie reply (whitepaper 5.4.7): type, reserved, receiver, nonce (24 bytes), cookie
 * (sealed), at the offsets of {@link Protocol}. Integers are little endian. Reads and writes in place;
 * wrap a reused instance, nothing is copied.
 */
public final class CookieReplyMessage {
    private byte[] buf;
    private int off;

    public CookieReplyMessage wrap(byte[] buffer, int offset) {
        this.buf = buffer;
        this.off = offset;
        return this;
    }

    /** Type {@link Protocol#MESSAGE_COOKIE_REPLY} and three zero reserved bytes. */
    public CookieReplyMessage writeHeader() {
        Protocol.writeHeader(buf, off, Protocol.MESSAGE_COOKIE_REPLY);
        return this;
    }

    public int receiver() { return Protocol.readIntLE(buf, off + Protocol.COOKIE_REPLY_RECEIVER); }
    public CookieReplyMessage receiver(int v) { Protocol.writeIntLE(buf, off + Protocol.COOKIE_REPLY_RECEIVER, v); return this; }
    public int nonceOffset() { return off + Protocol.COOKIE_REPLY_NONCE; }
    public int cookieOffset() { return off + Protocol.COOKIE_REPLY_COOKIE; }
}
