package dev.platoon.core.tap;

import java.nio.ByteBuffer;

import dev.platoon.core.transport.TunPort;

/**
 * One queue of a tap as the {@link TapPort} sees it: frames are virtio_net_hdr + Ethernet frame. Besides
 * the plain write, it writes a frame gathered from two pieces (header, then body) in one go, so a packet
 * from the tunnel gets its Ethernet header without being copied or written in front of its buffer,
 * whose bytes before the packet may belong to another packet of the same receive batch.
 */
public interface TapQueue extends TunPort {

    /**
     * Writes {@code head[headOffset, +headLength)} followed by {@code body[bodyOffset, +bodyLength)} as one
     * frame, from direct buffers, without blocking (loop thread). A refused or partial write is a counted drop.
     *
     * @return true when the whole frame was taken
     */
    boolean writeFrame(ByteBuffer head, int headOffset, int headLength, ByteBuffer body, int bodyOffset,
                       int bodyLength);
}
