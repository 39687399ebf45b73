package dev.platoon.core.transport;

import java.nio.ByteBuffer;

/**
 * Receives the frames read from one tun queue, on that queue's loop thread.
 *
 * <p>{@code buf} is the queue's reusable direct buffer: bytes {@code [offset, offset + length)} are one
 * frame (virtio_net_hdr, then the packet or GSO train). There are {@link TunQueueHandle#HEADROOM} bytes
 * before {@code offset} and {@link TunQueueHandle#TAILROOM} after the largest possible frame, so the
 * sink may build headers or tags in place. The contents are overwritten by the next read: copy or finish
 * with them before returning. The buffer's position and limit are not meaningful; do not rely on them.
 */
public interface TunFrameSink {

    void frame(ByteBuffer buf, int offset, int length);

    /** End of one read wakeup (≤ the read budget of frames): write pending trains; the loop then flushes. */
    void batchEnd();
}
