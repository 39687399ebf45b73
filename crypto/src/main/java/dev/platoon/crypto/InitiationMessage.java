package dev.platoon.crypto;

/**
 * Flyweight over a handshake initiation (whitepaper 5.4.2): type, reserved, sender, ephemeral,
 * static (sealed), timestamp (sealed), mac1, mac2, at the offsets of {@link Protocol}. Integers are
 * little endian. Reads and writes in place; wrap a reused instance, nothing is copied.
 */
public final class InitiationMessage {
    private byte[] buf;
    private int off;

    public InitiationMessage wrap(byte[] buffer, int offset) {
        this.buf = buffer;
        this.off = offset;
        return this;
    }

    /** Type {@link Protocol#MESSAGE_INITIATION} and three zero reserved bytes. */
    public InitiationMessage writeHeader() { Protocol.writeHeader(buf, off, Protocol.MESSAGE_INITIATION); return this; }
    public int sender() { return Protocol.readIntLE(buf, off + Protocol.INITIATION_SENDER); }
    public InitiationMessage sender(int v) { Protocol.writeIntLE(buf, off + Protocol.INITIATION_SENDER, v); return this; }
    public int ephemeralOffset() { return off + Protocol.INITIATION_EPHEMERAL; }
    public int staticOffset() { return off + Protocol.INITIATION_STATIC; }
    public int timestampOffset() { return off + Protocol.INITIATION_TIMESTAMP; }
    public int mac1Offset() { return off + Protocol.INITIATION_MAC1; }
    public int mac2Offset() { return off + Protocol.INITIATION_MAC2; }
    public int end() { return off + Protocol.MESSAGE_INITIATION_SIZE; }
}
