package dev.platoon.core.memory;

import java.util.List;

/**
 * The far side of an in-memory device edge as a test drives it: tun frames (virtio_net_hdr + IP) in at
 * a queue as the kernel would hand them over, and the tun frames platoon wrote out. {@link MemoryTun}
 * is the edge itself; {@link MemoryTap} puts a small Ethernet host in between.
 */
public interface MemoryEdge {

    /** Hands {@code frames} to queue {@code queue} as one read batch. */
    void inject(int queue, List<byte[]> frames);

    /** The next frame written to queue {@code queue}, or null after {@code millis}. */
    byte[] take(int queue, long millis) throws InterruptedException;

    /** Waits up to {@code millis} for any queue to be written to. */
    void awaitWritten(long millis) throws InterruptedException;
}
