package dev.platoon.crypto;

/**
 * Flyweight over a handshake response (whitepaper 5.4.3): type, reserved, sender, receiver, ephemeral,
 * empty (a sealed nothing: its tag), mac1, mac2, at the offsets of {@link Protocol}. Integers are little
 * endian. Reads and writes in place; wrap a reused instance, nothing is copied.
 */
public final class ResponseMessage {
    private byte[] buf;
    private int off;

    public ResponseMessage wrap(byte[] buffer, int offset) {
        this.buf = buffer;
        this.off = offset;
        return this;
    }

    /** Type {@link Protocol#MESSAGE_RESPONSE} and three zero reserved bytes. */
    public ResponseMessage writeHeader() { Protocol.writeHeader(buf, off, Protocol.MESSAGE_RESPONSE); return this; }
    public int sender() { return Protocol.readIntLE(buf, off + Protocol.RESPONSE_SENDER); }
    public ResponseMessage sender(int v) { Protocol.writeIntLE(buf, off + Protocol.RESPONSE_SENDER, v); return this; }
    public int receiver() { return Protocol.readIntLE(buf, off + Protocol.RESPONSE_RECEIVER); }
    public ResponseMessage receiver(int v) { Protocol.writeIntLE(buf, off + Protocol.RESPONSE_RECEIVER, v); return this; }
    public int ephemeralOffset() { return off + Protocol.RESPONSE_EPHEMERAL; }
    public int emptyOffset() { return off + Protocol.RESPONSE_EMPTY; }
    public int mac1Offset() { return off + Protocol.RESPONSE_MAC1; }
    public int mac2Offset() { return off + Protocol.RESPONSE_MAC2; }
    public int end() { return off + Protocol.MESSAGE_RESPONSE_SIZE; }
}
