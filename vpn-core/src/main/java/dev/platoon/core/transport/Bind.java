package dev.platoon.core.transport;

import io.netty.channel.IoEventLoop;
import java.io.IOException;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The UDP side of a device: one socket per queue loop on one port, a train sender per loop, and a
 * sender for the control plane. It is opened bound but not yet delivering, so that whatever receives
 * can be built after it (the handshake worker needs the control sender): {@link #receive} starts
 * delivery once. The kernel's is {@link UdpBind}; tests use an in-memory one.
 */
public interface Bind extends AutoCloseable {

    /** Opens a device's UDP side on its loops. */
    @FunctionalInterface
    interface Opener {
        /** Binds {@code port} (0: any) on one socket per loop; throws one line when it cannot. */
        Bind open(List<IoEventLoop> loops, int port, UdpOptions options, TransportCounters counters)
                throws IOException, InterruptedException;
    }

    /** The port every socket is bound to. */
    int localPort();

    /** Sockets, one per loop. */
    int size();

    /** The train sender of loop {@code i}; use it only on that loop's thread. */
    TrainOut sender(int i);

    /** Sends one datagram from any thread (handshake messages, cookie replies, keepalives). */
    DatagramSender controlSender();

    /**
     * Starts delivering: data of loop {@code i} to {@code queueSinks.apply(i)} on that loop, and every
     * other message to {@code handshakeSink} when the bind can steer them apart (else to the loops'
     * sinks too). Called once.
     */
    void receive(IntFunction<InboundSink> queueSinks, InboundSink handshakeSink);

    /** Moves every socket to {@code port} without losing the senders or the sinks ({@code wg set listen-port}). */
    void rebind(int port) throws IOException, InterruptedException;

    /** Marks every socket with SO_MARK {@code mark} (0 clears it). */
    void setFwmark(int mark) throws IOException;

    /** Whether handshake messages arrive apart from data (a socket and thread of their own). */
    boolean hasHandshakeSocket();

    @Override
    void close();
}
