package dev.platoon.core.transport;

import dev.platoon.core.drop.Drop;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.SegmentedDatagramPacket;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * Sends trains of equal-sized datagrams on one UDP channel: one {@link SegmentedDatagramPacket} (one
 * sendmsg with UDP_SEGMENT) per train, or one DatagramPacket per segment when GSO is off. Writes are not
 * flushed: the loop calls {@link #flush()} once at the end of its tun read batch.
 *
 * <p>Fallback: if the kernel refuses a GSO send as unsupported (EIO: the route's device cannot checksum
 * or the route is xfrm; EOPNOTSUPP/ENOPROTOOPT: an old kernel; Netty's UnsupportedOperationException), GSO
 * is turned off for this channel and the train's bytes are re-sent as single datagrams — nothing lost.
 * For that, each GSO train holds one extra reference to its content until the write completes.
 *
 * <p>Loop-thread only (the channel's event loop), except {@link #isGsoEnabled()}.
 */
public final class TrainSender implements TrainOut {

    private static final String HANDLER = "train-sender";
    private static final int EIO = 5;
    private static final int ENOPROTOOPT = 92;
    private static final int EOPNOTSUPP = 95;

    /** Replaced only on the loop's thread, by {@link #moveTo} (a new listen port). */
    private EpollDatagramChannel channel;
    private final TransportCounters counters;
    private volatile boolean gso;
    private Consumer<Boolean> writability = w -> { };

    public TrainSender(EpollDatagramChannel channel, boolean gso, TransportCounters counters) {
        this.channel = channel;
        this.gso = gso && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
        this.counters = counters;
        wire(channel);
    }

    /**
     * Tells {@link #onWritability}'s listener of the channel's writability changes (Netty's pending
     * bytes crossing the water marks), and flushes after every receive batch: what the inbound path
     * queued (keepalive answers, say) leaves in one sendmmsg.
     */
    private void wire(EpollDatagramChannel ch) {
        if (ch.pipeline().get(HANDLER) != null) {
            ch.pipeline().remove(HANDLER); // a rebind's new channel, wired by the sender it was opened with
        }
        ch.pipeline().addLast(HANDLER, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                writability.accept(ctx.channel().isWritable());
                ctx.fireChannelWritabilityChanged();
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                flush();
                ctx.fireChannelReadComplete();
            }
        });
    }

    @Override
    public void onWritability(Consumer<Boolean> listener) {
        writability = listener;
        listener.accept(channel.isWritable());
    }

    public EpollDatagramChannel channel() {
        return channel;
    }

    /** Sends on another channel of the same loop from now on ({@link UdpBind#rebind}); loop thread only. */
    void moveTo(EpollDatagramChannel next) {
        if (next.eventLoop() != channel.eventLoop()) {
            throw new IllegalArgumentException("the new UDP channel is registered on another loop");
        }
        channel.flush();
        channel = next;
        wire(next);
        writability.accept(next.isWritable());
    }

    public boolean isGsoEnabled() {
        return gso;
    }

    /** Turns UDP_SEGMENT off for this channel (also what the EIO fallback does). */
    public void disableGso() {
        if (gso) {
            gso = false;
            counters.gsoDisabledChannels.increment();
        }
    }

    @Override
    public void sendTrain(ByteBuf content, int segmentSize, InetSocketAddress to) {
        int len = content.readableBytes();
        if (segmentSize <= 0 || len > TrainOut.maxTrainBytes(to) || len > segmentSize * MAX_SEGMENTS) {
            content.release();
            throw new IllegalArgumentException("train of " + len + " bytes in segments of " + segmentSize
                    + " breaks UDP_SEGMENT limits (" + MAX_SEGMENTS + " segments, " + TrainOut.maxTrainBytes(to) + " bytes)");
        }
        if (len <= segmentSize) {
            sendDatagram(content, to);
        } else if (gso) {
            Train train = new Train(content.retain(), segmentSize, to);
            channel.write(train, channel.newPromise().addListener(train));
        } else {
            writeSingles(content, segmentSize, to);
            content.release();
        }
    }

    /** Queues one datagram (the readable bytes of {@code content}); takes ownership. */
    public void sendDatagram(ByteBuf content, InetSocketAddress to) {
        counters.singleDatagramsSent.increment();
        // Void promise: a failure reaches the pipeline's exceptionCaught, which counts it.
        channel.write(new DatagramPacket(content, to), channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    /** Splits [readerIndex, writerIndex) into retained slices; does not consume {@code content}'s reference. */
    private void writeSingles(ByteBuf content, int segmentSize, InetSocketAddress to) {
        int end = content.writerIndex();
        for (int off = content.readerIndex(); off < end; off += segmentSize) {
            sendDatagram(content.retainedSlice(off, Math.min(segmentSize, end - off)), to);
        }
    }

    static boolean isGsoUnsupported(Throwable cause) {
        if (cause instanceof UnsupportedOperationException) {
            return true;
        }
        if (cause instanceof Errors.NativeIoException e) {
            int errno = -e.expectedErr();
            return errno == EIO || errno == EOPNOTSUPP || errno == ENOPROTOOPT;
        }
        return false;
    }

    /** One GSO train; also the listener of its own write, so that one object serves both. */
    private final class Train extends SegmentedDatagramPacket implements ChannelFutureListener {
        private final ByteBuf bytes;   // our extra reference (Netty may replace the packet's content)

        Train(ByteBuf content, int segmentSize, InetSocketAddress recipient) {
            super(content, segmentSize, recipient);
            this.bytes = content;
        }

        @Override
        public void operationComplete(ChannelFuture future) {
            try {
                int segments = (bytes.readableBytes() + segmentSize() - 1) / segmentSize();
                if (future.isSuccess()) {
                    counters.gsoTrainsSent.increment();
                    counters.gsoSegmentsSent.add(segments);
                } else if (isGsoUnsupported(future.cause())) {
                    disableGso();
                    counters.gsoFallbackTrains.increment();
                    writeSingles(bytes, segmentSize(), recipient());
                    channel.flush();   // the batch's flush has already happened
                } else {
                    counters.drop(Drop.UDP_SEND_ERROR, segments);
                }
            } finally {
                bytes.release();
            }
        }
    }
}
