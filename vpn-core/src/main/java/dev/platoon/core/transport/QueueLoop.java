package dev.platoon.core.transport;

import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.nio.ByteBuffer;

/**
 * The shell of one queue loop: one tun queue and one UDP socket's sender on the same event loop, wired
 * for backpressure and the flush policy.
 * <ul>
 *   <li>When the sender cannot take more (the kernel's: Netty's pending bytes above the high water
 *       mark, the socket's send buffer is full), the tun queue stops being read; when it drains, reading
 *       resumes. Packets then wait in the kernel's tun txqueue instead of being dropped by us.</li>
 *   <li>Trains are written during a tun read batch and flushed once after the sink's batchEnd.</li>
 * </ul>
 */
public final class QueueLoop implements AutoCloseable {

    private final IoEventLoop loop;
    private final TrainOut sender;
    private final TunPort tun;
    private final TunFrameSink sink;

    /**
     * @param tun  the loop's tun queue; it stays owned by its {@link Tun}: close this loop first
     * @param sink the data path's outbound handler; it sends trains through {@code sender}
     */
    public QueueLoop(IoEventLoop loop, TrainOut sender, TunPort tun, TunFrameSink sink) {
        this.loop = loop;
        this.sender = sender;
        this.tun = tun;
        this.sink = sink;
    }

    /**
     * Starts reading the tun queue with the writability wiring; the future ends when both are in place
     * (a send right after it already pauses reading when the socket is full).
     */
    public Future<Void> start() {
        Promise<Void> done = loop.newPromise();
        tun.start(loop, new FlushingSink(sink, sender)).addListener(f -> {
            if (!f.isSuccess()) {
                done.setFailure(f.cause());
                return;
            }
            Runnable wire = () -> {
                // Told the current state at once: a socket that is already full pauses the queue from the start.
                sender.onWritability(writable -> {
                    if (writable) {
                        tun.resumeReading();
                    } else {
                        tun.pauseReading();
                    }
                });
                done.setSuccess(null);
            };
            if (loop.inEventLoop()) {
                wire.run();
            } else {
                loop.execute(wire);
            }
        });
        return done;
    }

    /** Stops serving the tun queue (the UDP socket belongs to its {@link Bind}). */
    @Override
    public void close() {
        tun.close();
    }

    /** Flushes the sender after the data path has written a tun batch's trains. */
    private record FlushingSink(TunFrameSink inner, TrainOut sender) implements TunFrameSink {
        @Override
        public void frame(ByteBuffer buf, int offset, int length) {
            inner.frame(buf, offset, length);
        }

        @Override
        public void batchEnd() {
            try {
                inner.batchEnd();
            } finally {
                sender.flush();
            }
        }
    }
}
