package dev.platoon.core.transport;

import dev.platoon.core.drop.Drop;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.util.Objects;

/**
 * Pipeline adapter between a UDP channel and an {@link InboundSink}. Netty splits each GRO batch into one
 * DatagramPacket per segment (slices of one buffer) and ends the read with channelReadComplete; this passes
 * them on as datagram/batchEnd, counts batch sizes and releases every packet. Nothing here allocates.
 */
final class DatagramReceiver extends ChannelInboundHandlerAdapter {

    private final InboundSink sink;
    private final TransportCounters counters;
    private final boolean handshakeSocket;
    private int inBatch;   // loop thread only

    DatagramReceiver(InboundSink sink, TransportCounters counters) {
        this(sink, counters, false);
    }

    /** {@code handshakeSocket}: the batches are counted apart from the queue loops' ones. */
    DatagramReceiver(InboundSink sink, TransportCounters counters, boolean handshakeSocket) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.counters = counters;
        this.handshakeSocket = handshakeSocket;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            inBatch++;
            sink.datagram(packet.content(), packet.sender());
        } catch (RuntimeException e) {
            counters.drop(Drop.SINK_ERROR);
        } finally {
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        int n = inBatch;
        if (n == 0) {
            return;
        }
        inBatch = 0;
        if (handshakeSocket) {
            counters.handshakeSocketBatches.increment();
            counters.handshakeSocketDatagrams.add(n);
        } else {
            counters.recordReceiveBatch(n);
        }
        try {
            sink.batchEnd();
        } catch (RuntimeException e) {
            counters.drop(Drop.SINK_ERROR);
        }
        ctx.fireChannelReadComplete();
    }

    /** Errors from void-promise sends and from recvmsg end here: count them, never close the socket. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        counters.drop(Drop.UDP_IO_ERROR);
    }
}
