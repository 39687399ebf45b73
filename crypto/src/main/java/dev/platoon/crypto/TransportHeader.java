package dev.platoon.crypto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Flyweight over the header of a transport data message (whitepaper 5.4.6): type, reserved, receiver,
 * counter, then the sealed packet at {@link #packetOffset()}. The fields are little endian on the wire
 * whatever the buffer's byte order. Wrap a reused instance: the data path reads and writes every
 * packet's header through one per loop, with no allocation.
 */
public final class TransportHeader {
    private ByteBuffer buf;
    private int off;
    private boolean little;

    public TransportHeader wrap(ByteBuffer buffer, int offset) {
        this.buf = buffer;
        this.off = offset;
        this.little = buffer.order() == ByteOrder.LITTLE_ENDIAN;
        return this;
    }

    /** The type and reserved bytes as one little-endian word: {@link Protocol#MESSAGE_TRANSPORT} when valid. */
    public int typeWord() { return le(buf.getInt(off)); }
    public int receiver() { return le(buf.getInt(off + Protocol.TRANSPORT_RECEIVER)); }
    public long counter() {
        long v = buf.getLong(off + Protocol.TRANSPORT_COUNTER);
        return little ? v : Long.reverseBytes(v);
    }

    public int packetOffset() { return off + Protocol.TRANSPORT_DATA; }

    /** Writes type {@link Protocol#MESSAGE_TRANSPORT}, the reserved zeros, receiver and counter. */
    public TransportHeader write(int receiver, long counter) {
        buf.putInt(off, le(Protocol.MESSAGE_TRANSPORT));
        buf.putInt(off + Protocol.TRANSPORT_RECEIVER, le(receiver));
        buf.putLong(off + Protocol.TRANSPORT_COUNTER, little ? counter : Long.reverseBytes(counter));
        return this;
    }

    private int le(int v) {
        return little ? v : Integer.reverseBytes(v);
    }
}
