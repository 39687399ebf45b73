package dev.platoon.core.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.Future;
import java.nio.ByteBuffer;

/**
 * The shell of one queue loop: one tun queue and one UDP channel on the same event loop, wired for
 * backpressure and the flush policy.
 * <ul>
 *   <li>When the channel turns unwritable (Netty's pending bytes above the high water mark: the socket's
 *       send buffer is full), the tun queue stops being read; when it drains below the low mark, reading
 *       resumes. Packets then wait in the kernel's tun txqueue instead of being dropped by us.</li>
 *   <li>Trains are written during a tun read batch and flushed once after the sink's batchEnd.</li>
 * </ul>
 */
public final class QueueLoop implements AutoCloseable {

    private final IoEventLoop loop;
    private final TrainSender sender;
    private final TunQueueHandle tun;

    /**
     * @param tunFd a tun queue fd (IFF_VNET_HDR, 12-byte header), e.g. tun-io's {@code TunQueue.fd()}; it stays
     *              owned by the caller: close this loop before closing the queue
     * @param sink  the data path's outbound handler; it sends trains through {@code sender}
     */
    public QueueLoop(IoEventLoop loop, TrainSender sender, int tunFd, TunFrameSink sink, TransportCounters counters) {
        if (sender.channel().eventLoop() != loop) {
            throw new IllegalArgumentException("the UDP channel is registered on another loop");
        }
        this.loop = loop;
        this.sender = sender;
        this.tun = new TunQueueHandle(tunFd, false, new FlushingSink(sink, sender), counters);
    }

    /** Registers the tun queue and the writability wiring; the future ends when reading is armed. */
    public Future<Void> start() {
        sender.channel().pipeline().addLast("backpressure", new Backpressure(tun, sender));
        Future<Void> registered = tun.register(loop);
        // The channel may already be unwritable: align the tun state with it once registered.
        registered.addListener(f -> {
            if (f.isSuccess() && !sender.channel().isWritable()) {
                tun.pauseReading();
            }
        });
        return registered;
    }

    /**
     * Wires the sender's new channel ({@link UdpBind#rebind}: a new listen port) like {@link #start} wired
     * the first: its writability pauses and resumes the tun queue. Loop thread only.
     */
    public void attach(io.netty.channel.epoll.EpollDatagramChannel channel) {
        channel.pipeline().addLast("backpressure", new Backpressure(tun, sender));
        if (channel.isWritable()) {
            tun.resumeReading();
        } else {
            tun.pauseReading();
        }
    }

    public IoEventLoop loop() {
        return loop;
    }

    public TrainSender sender() {
        return sender;
    }

    public TunQueueHandle tun() {
        return tun;
    }

    /** Writes one frame to this loop's tun queue (loop thread); see {@link TunQueueHandle#writeFrame}. */
    public boolean writeFrame(ByteBuffer direct, int offset, int length) {
        return tun.writeFrame(direct, offset, length);
    }

    /** Stops serving the tun queue (the fd stays open; the UDP channel belongs to its {@link UdpBind}). */
    @Override
    public void close() {
        tun.close();
    }

    /** Flushes the sender after the data path has written a tun batch's trains. */
    private record FlushingSink(TunFrameSink inner, TrainSender sender) implements TunFrameSink {
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

    /** Pauses/resumes tun reading from the channel's writability; flushes after a receive batch. */
    private static final class Backpressure extends ChannelInboundHandlerAdapter {
        private final TunQueueHandle tun;
        private final TrainSender sender;

        Backpressure(TunQueueHandle tun, TrainSender sender) {
            this.tun = tun;
            this.sender = sender;
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                tun.resumeReading();
            } else {
                tun.pauseReading();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // The inbound path may have queued sends (e.g. keepalive replies): one flush per batch.
            sender.flush();
            ctx.fireChannelReadComplete();
        }
    }
}
