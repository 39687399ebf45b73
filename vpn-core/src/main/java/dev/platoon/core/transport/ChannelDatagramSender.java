package dev.platoon.core.transport;

import dev.platoon.core.drop.Drop;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * {@link DatagramSender} over the channels of a {@link UdpBind}. On a queue-loop thread it writes to that
 * loop's channel (no thread hop). Any other thread — the handshake worker answering initiations or
 * sending cookie replies, the timers — calls {@code sendto(2)} on a channel's socket itself: handing the
 * datagram to a loop would cost that loop a wake-up and a task per message, which under a handshake
 * flood is data-path time spent on the attacker. The kernel serialises sends on one socket, so both may
 * use it at once. A channel is picked by destination, so the control messages to one peer stay on one
 * socket and in order.
 */
public final class ChannelDatagramSender implements DatagramSender {

    /** Largest message sent off-loop without growing the thread's buffer (a handshake or a staged packet). */
    private static final int INITIAL_SCRATCH = 2048;

    private final UdpBind bind;
    private final TransportCounters counters;
    private final ThreadLocal<ByteBuffer> scratch =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(INITIAL_SCRATCH));

    public ChannelDatagramSender(UdpBind bind, TransportCounters counters) {
        this.bind = bind;
        this.counters = counters;
    }

    @Override
    public void send(ByteBuffer message, InetSocketAddress to) {
        EpollDatagramChannel own = ownLoopChannel();
        if (own != null) {
            sendOnLoop(own, message, to);
        } else {
            sendDirect(bind.channel(Math.floorMod(to.hashCode(), bind.size())), message, to);
        }
    }

    private void sendOnLoop(EpollDatagramChannel ch, ByteBuffer message, InetSocketAddress to) {
        if (!ch.isActive()) {
            counters.drop(Drop.CONTROL_SEND_NO_CHANNEL);
            return;
        }
        int len = message.remaining();
        ByteBuf buf = ch.alloc().directBuffer(len, len);
        buf.writeBytes(message.duplicate());
        counters.singleDatagramsSent.increment();
        // Void promise: failures (closed meanwhile, no route) are counted by the pipeline's exceptionCaught.
        ch.writeAndFlush(new DatagramPacket(buf, to), ch.voidPromise());
    }

    private void sendDirect(EpollDatagramChannel ch, ByteBuffer message, InetSocketAddress to) {
        if (!ch.isActive() || !(ch.fd() instanceof Socket socket)) {
            counters.drop(Drop.CONTROL_SEND_NO_CHANNEL);
            return;
        }
        int len = message.remaining();
        ByteBuffer direct = scratch.get();
        if (direct.capacity() < len) {
            direct = ByteBuffer.allocateDirect(len);
            scratch.set(direct);
        }
        direct.clear();
        direct.put(0, message, message.position(), len);
        try {
            int sent = socket.sendTo(direct, 0, len, to.getAddress(), to.getPort());
            if (sent == len) {
                counters.singleDatagramsSent.increment();
            } else {
                // 0: EAGAIN, the socket's send buffer is full (the data path is sending at full rate).
                counters.drop(Drop.CONTROL_SEND_BUFFER_FULL);
            }
        } catch (IOException e) {
            counters.drop(ch.isActive() ? Drop.UDP_SEND_ERROR
                    : Drop.CONTROL_SEND_NO_CHANNEL);
        }
    }

    private EpollDatagramChannel ownLoopChannel() {
        int n = bind.size();
        for (int i = 0; i < n; i++) {
            EpollDatagramChannel ch = bind.channel(i);
            if (ch.eventLoop().inEventLoop()) {
                return ch;
            }
        }
        return null;
    }
}
