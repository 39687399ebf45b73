package dev.platoon.core.transport;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The sending half of one queue's UDP socket, used on that queue's loop thread: trains of equal-sized
 * datagrams (one UDP_SEGMENT write each in the kernel's), queued until {@link #flush()}. The kernel's
 * is {@link TrainSender}; tests use an in-memory one.
 */
public interface TrainOut {

    /** Segments per UDP_SEGMENT send that every kernel accepts (UDP_MAX_SEGMENTS was 64 before 6.x). */
    int MAX_SEGMENTS = 64;
    /** Largest UDP payload per send: 65535 − IPv4 (20) − UDP (8) headers. */
    int MAX_TRAIN_BYTES_V4 = 65507;
    /** 65535 − UDP header: the IPv6 payload length counts only the UDP header and data. */
    int MAX_TRAIN_BYTES_V6 = 65527;

    /** Largest train payload towards {@code to}: 65507 for IPv4 (also as a v4-mapped destination), else 65527. */
    static int maxTrainBytes(InetSocketAddress to) {
        return to.getAddress() instanceof Inet4Address ? MAX_TRAIN_BYTES_V4 : MAX_TRAIN_BYTES_V6;
    }

    /**
     * Queues one train: the readable bytes of {@code content} are consecutive datagrams of
     * {@code segmentSize} bytes, the last one possibly shorter. Takes ownership of {@code content}.
     *
     * @throws IllegalArgumentException when the train breaks the limits above — a caller bug;
     *         {@code content} is released first
     */
    void sendTrain(ByteBuf content, int segmentSize, InetSocketAddress to);

    /** Hands everything queued to the network (one sendmmsg in the kernel's). */
    void flush();

    /**
     * Who hears, on the loop thread, that the socket cannot take more for now ({@code false}) or can
     * again ({@code true}); it is told the current state at once.
     */
    void onWritability(Consumer<Boolean> listener);
}
