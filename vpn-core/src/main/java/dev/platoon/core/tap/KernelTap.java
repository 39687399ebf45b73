package dev.platoon.core.tap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.platoon.core.transport.TransportCounters;
import dev.platoon.core.transport.Tun;
import dev.platoon.core.transport.TunFrameSink;
import dev.platoon.core.transport.TunQueueHandle;
import dev.platoon.tun.TunConfig;
import dev.platoon.tun.TunDevice;
import io.netty.channel.IoEventLoop;
import io.netty.channel.unix.Buffer;
import io.netty.util.concurrent.Future;

/**
 * The kernel's tap: tun-io opens it with IFF_TAP and the same flags, offloads and queues as a tun
 * (IFF_NO_PI, IFF_VNET_HDR, IFF_MULTI_QUEUE; CSUM, TSO4/6, USO4/6), and each queue fd is served by a
 * {@link TunQueueHandle} on its loop, as a tun's is.
 */
public final class KernelTap {
    private KernelTap() {}

    /** Opens taps for a device: the data path then runs over them as over a tun. */
    public static Tun.Opener opener(TapSettings settings) {
        return (name, queues, counters) -> open(TunDevice.open(TunConfig.tap(name).withQueues(queues)), counters,
                settings);
    }

    /** The data path's view of an opened tap {@code device}; closing it closes the device. */
    public static Tap open(TunDevice device, TransportCounters counters, TapSettings settings) throws IOException {
        List<Queue> queues = new ArrayList<>();
        try {
            for (int i = 0; i < device.queueCount(); i++) {
                queues.add(new Queue(new TunQueueHandle(device.queue(i).fd(), false, counters)));
            }
        } catch (RuntimeException e) {
            queues.forEach(Queue::close);
            device.close();
            throw new IOException(device.name() + ": " + e.getMessage(), e);
        }
        return new Tap(device.name(), queues, device.offloads().tso4() && device.offloads().tso6(),
                device.offloads().uso(), device.describe(), device::close, settings, new TapCounters(counters));
    }

    /** One tap queue: a {@link TunQueueHandle}; a gathered write is one writev(2) of two pieces. */
    static final class Queue implements TapQueue {
        private static final int IOVEC = 16; // struct iovec: base pointer, length
        private final TunQueueHandle handle;
        private final ByteBuffer iov = ByteBuffer.allocateDirect(2 * IOVEC).order(ByteOrder.nativeOrder());
        private final long iovAddress = Buffer.memoryAddress(iov);

        Queue(TunQueueHandle handle) {
            this.handle = handle;
        }

        @Override
        public Future<Void> start(IoEventLoop loop, TunFrameSink sink) {
            return handle.start(loop, sink);
        }

        @Override
        public boolean writeFrame(ByteBuffer direct, int offset, int length) {
            return handle.writeFrame(direct, offset, length);
        }

        @Override
        public boolean writeFrame(ByteBuffer head, int headOffset, int headLength, ByteBuffer body, int bodyOffset,
                                  int bodyLength) {
            iov.putLong(0, Buffer.memoryAddress(head) + headOffset).putLong(8, headLength)
                    .putLong(IOVEC, Buffer.memoryAddress(body) + bodyOffset).putLong(IOVEC + 8, bodyLength);
            return handle.writeFrameGathered(iovAddress, 2, headLength + bodyLength);
        }

        @Override
        public void pauseReading() {
            handle.pauseReading();
        }

        @Override
        public void resumeReading() {
            handle.resumeReading();
        }

        @Override
        public void onReadFailure(Consumer<String> listener) {
            handle.onReadFailure(listener);
        }

        @Override
        public void close() {
            handle.close();
        }
    }
}
