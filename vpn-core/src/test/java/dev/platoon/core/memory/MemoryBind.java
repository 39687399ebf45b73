package dev.platoon.core.memory;

import dev.platoon.core.drop.Drop;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import dev.platoon.core.transport.Bind;
import dev.platoon.core.transport.DatagramSender;
import dev.platoon.core.transport.InboundSink;
import dev.platoon.core.transport.TrainOut;
import dev.platoon.core.transport.TransportCounters;
import dev.platoon.crypto.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.IoEventLoop;

/**
 * A device's UDP side on a {@link MemoryNet}. It behaves as the kernel's does where the data path
 * can tell: data (type 4) arrives on loop {@code receiver index mod n}, as the steering program puts
 * it; every other message on a thread of its own; a train as one receive batch of its segments,
 * followed by a flush of that loop's sender. Before {@link #receive} arrivals wait, as in a socket
 * buffer.
 */
public final class MemoryBind implements Bind {
    private final MemoryNet net;
    private final InetAddress address;
    private final List<? extends IoEventLoop> loops;
    private final TransportCounters counters;
    private final List<Out> senders = new ArrayList<>();
    private final ExecutorService handshakeThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "memory-handshake-rx");
        t.setDaemon(true);
        return t;
    });
    private final List<Runnable> early = new ArrayList<>(); // arrivals before receive(), guarded by this
    private volatile int port;
    private volatile IntFunction<InboundSink> sinks;
    private volatile InboundSink handshakeSink;
    private volatile boolean closed;
    private volatile RuntimeException firstFailure;

    MemoryBind(MemoryNet net, InetAddress address, int port, List<? extends IoEventLoop> loops,
               TransportCounters counters) {
        this.net = net;
        this.address = address;
        this.loops = loops;
        this.counters = counters;
        this.port = net.attach(this, address, port);
        for (int i = 0; i < loops.size(); i++) {
            senders.add(new Out());
        }
    }

    public InetSocketAddress localAddress() {
        return new InetSocketAddress(address, port);
    }

    @Override
    public int localPort() {
        return port;
    }

    @Override
    public int size() {
        return senders.size();
    }

    @Override
    public TrainOut sender(int i) {
        return senders.get(i);
    }

    @Override
    public DatagramSender controlSender() {
        return (message, to) -> {
            byte[] b = new byte[message.remaining()];
            message.get(message.position(), b);
            counters.singleDatagramsSent.increment();
            net.send(localAddress(), to, b, Math.max(1, b.length));
        };
    }

    @Override
    public void receive(IntFunction<InboundSink> queueSinks, InboundSink handshakes) {
        List<Runnable> waiting;
        synchronized (this) {
            if (sinks != null) {
                throw new IllegalStateException("already receiving");
            }
            handshakeSink = handshakes;
            sinks = queueSinks;
            waiting = List.copyOf(early);
            early.clear();
        }
        waiting.forEach(Runnable::run);
    }

    /** A train from the network: delivered on the loop (or thread) its first segment's type picks. */
    void arrive(InetSocketAddress from, byte[] bytes, int segmentSize) {
        if (closed) {
            return;
        }
        synchronized (this) {
            if (sinks == null) {
                early.add(() -> arrive(from, bytes, segmentSize));
                return;
            }
        }
        ByteBuffer head = ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        boolean data = bytes.length >= 8 && head.getInt(0) == Protocol.MESSAGE_TRANSPORT;
        if (!data && handshakeSink != null) {
            handshakeThread.execute(() -> deliver(handshakeSink, null, from, bytes, segmentSize));
            return;
        }
        int queue = data ? Math.floorMod(head.getInt(Protocol.TRANSPORT_RECEIVER), loops.size())
                : Math.floorMod(from.hashCode(), loops.size());
        InboundSink sink = sinks.apply(queue);
        Out out = senders.get(queue);
        loops.get(queue).execute(() -> deliver(sink, out, from, bytes, segmentSize));
    }

    private void deliver(InboundSink sink, Out out, InetSocketAddress from, byte[] bytes, int segmentSize) {
        ByteBuf all = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
        int segments = 0;
        try {
            for (int off = 0; off < bytes.length; off += segmentSize) {
                ByteBuf one = all.retainedSlice(off, Math.min(segmentSize, bytes.length - off));
                segments++;
                try {
                    sink.datagram(one, from);
                } catch (RuntimeException e) {
                    failure(e);
                } finally {
                    one.release();
                }
            }
        } finally {
            all.release();
        }
        if (out != null) {
            counters.recordReceiveBatch(segments);
        }
        try {
            sink.batchEnd();
        } catch (RuntimeException e) {
            failure(e);
        }
        if (out != null) {
            out.flush();
        }
    }

    /** As the kernel's receiver does: a sink that throws loses the datagram, and it is counted. */
    private void failure(RuntimeException e) {
        counters.drop(Drop.SINK_ERROR);
        if (firstFailure == null) {
            firstFailure = e;
        }
    }

    /** The first exception a sink threw, or null: the suite fails on it. */
    public RuntimeException firstFailure() {
        return firstFailure;
    }

    @Override
    public void rebind(int newPort) {
        int old = port;
        port = net.attach(this, address, newPort);
        net.detach(address, old);
    }

    @Override
    public void setFwmark(int mark) {
        // no routing here to mark for
    }

    @Override
    public boolean hasHandshakeSocket() {
        return handshakeSink != null;
    }

    @Override
    public void close() {
        closed = true;
        net.detach(address, port);
        handshakeThread.shutdownNow();
    }

    private record Queued(InetSocketAddress to, byte[] bytes, int segmentSize) {
    }

    /** One loop's sender: trains queue until flush, then cross the network. Loop thread only. */
    private final class Out implements TrainOut {
        private final List<Queued> queued = new ArrayList<>();

        @Override
        public void sendTrain(ByteBuf content, int segmentSize, InetSocketAddress to) {
            int len = content.readableBytes();
            if (segmentSize <= 0 || len > TrainOut.maxTrainBytes(to) || len > segmentSize * MAX_SEGMENTS) {
                content.release();
                throw new IllegalArgumentException("train of " + len + " bytes in segments of " + segmentSize);
            }
            byte[] b = new byte[len];
            content.getBytes(content.readerIndex(), b);
            content.release();
            int segments = (len + segmentSize - 1) / segmentSize;
            if (segments > 1) {
                counters.gsoTrainsSent.increment();
                counters.gsoSegmentsSent.add(segments);
            } else {
                counters.singleDatagramsSent.increment();
            }
            queued.add(new Queued(to, b, segmentSize));
        }

        @Override
        public void flush() {
            InetSocketAddress from = localAddress();
            for (Queued q : queued) {
                net.send(from, q.to(), q.bytes(), q.segmentSize());
            }
            queued.clear();
        }

        @Override
        public void onWritability(Consumer<Boolean> listener) {
            listener.accept(true); // memory never fills
        }
    }
}
