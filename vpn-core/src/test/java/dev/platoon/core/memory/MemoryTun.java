package dev.platoon.core.memory;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.platoon.core.transport.TransportCounters;
import dev.platoon.core.transport.Tun;
import dev.platoon.core.transport.TunFrameSink;
import dev.platoon.core.transport.TunPort;
import dev.platoon.core.transport.TunQueueHandle;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.Future;

/**
 * A tun device in memory, like wireguard-go's {@code tuntest}: a test {@link Port#inject injects}
 * frames as the kernel would hand them to platoon (virtio_net_hdr + packet or GSO train), and takes
 * the frames platoon writes from {@link Port#written}. Whether it takes trains back is chosen, as the
 * kernel's offloads would decide.
 */
public final class MemoryTun implements Tun, MemoryEdge {
    private final String name;
    private final boolean tcpTrains;
    private final boolean udpTrains;
    private final List<Port> ports = new ArrayList<>();

    public MemoryTun(String name, int queues, boolean trains, TransportCounters counters) {
        this.name = name;
        this.tcpTrains = trains;
        this.udpTrains = trains;
        for (int i = 0; i < queues; i++) {
            ports.add(new Port(counters, this));
        }
    }

    /** An opener for {@code Tun.Opener}: {@code trains} says whether the "kernel" takes trains. */
    public static Tun.Opener opener(boolean trains) {
        return (name, queues, counters) -> new MemoryTun(name, queues, trains, counters);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int queueCount() {
        return ports.size();
    }

    @Override
    public Port queue(int i) {
        return ports.get(i);
    }

    @Override
    public boolean tcpTrains() {
        return tcpTrains;
    }

    @Override
    public boolean udpTrains() {
        return udpTrains;
    }

    @Override
    public String describe() {
        return name + ": memory tun, " + ports.size() + " queues, trains " + (tcpTrains ? "on" : "off");
    }

    @Override
    public void inject(int queue, List<byte[]> frames) {
        ports.get(queue).inject(frames);
    }

    @Override
    public byte[] take(int queue, long millis) throws InterruptedException {
        return ports.get(queue).take(millis);
    }

    @Override
    public void awaitWritten(long millis) throws InterruptedException {
        synchronized (written) {
            if (written[0] == 0) {
                written.wait(millis);
            }
            written[0] = 0;
        }
    }

    private final long[] written = new long[1]; // frames written since the last awaitWritten, guarded by itself

    @Override
    public void close() {
        for (Port p : ports) {
            p.close();
        }
    }

    /** One queue. Frames are handed to the sink on the loop, one read batch per {@link #inject} call. */
    public static final class Port implements TunPort {
        private final TransportCounters counters;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(
                TunQueueHandle.HEADROOM + TunQueueHandle.MAX_FRAME + TunQueueHandle.TAILROOM);
        private final LinkedBlockingQueue<byte[]> written = new LinkedBlockingQueue<>();
        private final ArrayDeque<List<byte[]>> waiting = new ArrayDeque<>(); // loop thread
        private volatile IoEventLoop loop;
        private TunFrameSink sink;
        private boolean paused;   // loop thread
        private volatile boolean closed;

        private final MemoryTun tun;

        Port(TransportCounters counters, MemoryTun tun) {
            this.counters = counters;
            this.tun = tun;
        }

        @Override
        public Future<Void> start(IoEventLoop loop, TunFrameSink sink) {
            this.loop = loop;
            return loop.submit(() -> {
                this.sink = sink;
                return null;
            });
        }

        /** Hands {@code frames} to the data path as one read batch (on the loop, after earlier ones). */
        public void inject(List<byte[]> frames) {
            List<byte[]> copy = List.copyOf(frames);
            loop.execute(() -> {
                waiting.add(copy);
                drain();
            });
        }

        private void drain() {
            while (!paused && !closed && !waiting.isEmpty()) {
                List<byte[]> batch = waiting.poll();
                for (byte[] f : batch) {
                    buffer.put(TunQueueHandle.HEADROOM, f);
                    sink.frame(buffer, TunQueueHandle.HEADROOM, f.length);
                }
                counters.tunReadBatches.increment();
                counters.tunFramesRead.add(batch.size());
                sink.batchEnd();
            }
        }

        /** The next frame platoon wrote, or null after {@code millis}. */
        public byte[] take(long millis) throws InterruptedException {
            return written.poll(millis, TimeUnit.MILLISECONDS);
        }

        /** Frames written and not taken yet. */
        public int pending() {
            return written.size();
        }

        @Override
        public boolean writeFrame(ByteBuffer direct, int offset, int length) {
            byte[] f = new byte[length];
            direct.get(offset, f);
            written.add(f);
            counters.tunFramesWritten.increment();
            synchronized (tun.written) {
                tun.written[0]++;
                tun.written.notifyAll();
            }
            return true;
        }

        @Override
        public void pauseReading() {
            loop.execute(() -> paused = true);
        }

        @Override
        public void resumeReading() {
            loop.execute(() -> {
                paused = false;
                drain();
            });
        }

        @Override
        public void onReadFailure(Consumer<String> listener) {
            // memory does not fail
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
