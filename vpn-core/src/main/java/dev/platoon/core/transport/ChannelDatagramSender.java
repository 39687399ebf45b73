package dev.platoon.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.epoll.EpollDatagramChannel;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * {@link DatagramSender} over the channels of a {@link UdpBind}. On a queue-loop thread it uses that
 * loop's channel (no thread hop); elsewhere it picks a channel by destination, so the control messages
 * to one peer stay on one socket and in order.
 */
public final class ChannelDatagramSender implements DatagramSender {

    private final UdpBind bind;
    private final TransportCounters counters;

    public ChannelDatagramSender(UdpBind bind, TransportCounters counters) {
        this.bind = bind;
        this.counters = counters;
    }

    @Override
    public void send(ByteBuffer message, InetSocketAddress to) {
        EpollDatagramChannel ch = pick(to);
        if (!ch.isActive()) {
            counters.drop(TransportCounters.Drop.CONTROL_SEND_NO_CHANNEL);
            return;
        }
        int len = message.remaining();
        ByteBuf buf = ch.alloc().directBuffer(len, len);
        buf.writeBytes(message.duplicate());
        counters.singleDatagramsSent.increment();
        // Void promise: failures (closed meanwhile, no route) are counted by the pipeline's exceptionCaught.
        ch.writeAndFlush(new DatagramPacket(buf, to), ch.voidPromise());
    }

    private EpollDatagramChannel pick(InetSocketAddress to) {
        int n = bind.size();
        for (int i = 0; i < n; i++) {
            EpollDatagramChannel ch = bind.channel(i);
            if (ch.eventLoop().inEventLoop()) {
                return ch;
            }
        }
        return bind.channel(Math.floorMod(to.hashCode(), n));
    }
}
