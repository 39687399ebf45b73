package dev.platoon.core.transport;

import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.Future;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * One tun queue as the data path sees it: frames read from it go to a {@link TunFrameSink} on its
 * loop's thread, frames are written to it from that thread. The kernel's is {@link TunQueueHandle}
 * (an fd on an epoll loop); tests use an in-memory one.
 *
 * <p>A frame is the 12-byte virtio_net_hdr followed by the packet or GSO train.
 */
public interface TunPort extends AutoCloseable {

    /** Starts reading on {@code loop}; the future ends when reading is armed. Called once. */
    Future<Void> start(IoEventLoop loop, TunFrameSink sink);

    /**
     * Writes one frame from a direct buffer without blocking (loop thread). A refused or partial write
     * is a counted drop.
     *
     * @return true when the whole frame was taken
     */
    boolean writeFrame(ByteBuffer direct, int offset, int length);

    /** Stops reading (backpressure from the socket); frames wait in the queue meanwhile. Any thread. */
    void pauseReading();

    void resumeReading();

    /** Who hears, once, on the loop thread, that reading stopped for good (the device was deleted). */
    void onReadFailure(Consumer<String> listener);

    /** Stops serving the queue; idempotent. */
    @Override
    void close();
}
