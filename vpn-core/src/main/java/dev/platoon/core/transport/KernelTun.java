package dev.platoon.core.transport;

import dev.platoon.tun.TunConfig;
import dev.platoon.tun.TunDevice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's tun device (tun-io's {@link TunDevice}: IFF_VNET_HDR, multi-queue, every offload it
 * grants) with one {@link TunQueueHandle} per queue. The device owns the queue fds; closing this
 * stops the handles first, since a closed fd number can be reused by the next open.
 */
public final class KernelTun implements Tun {

    /** Opens a tun device as {@code platoon up} does. */
    public static final Tun.Opener OPENER = (name, queues, counters) ->
            new KernelTun(TunDevice.open(TunConfig.tun(name).withQueues(queues)), counters);

    private final TunDevice device;
    private final List<TunQueueHandle> queues = new ArrayList<>();

    public KernelTun(TunDevice device, TransportCounters counters) throws IOException {
        this.device = device;
        try {
            for (int i = 0; i < device.queueCount(); i++) {
                queues.add(new TunQueueHandle(device.queue(i).fd(), false, counters));
            }
        } catch (RuntimeException e) {
            device.close();
            throw new IOException(device.name() + ": " + e.getMessage(), e);
        }
    }

    /** tun-io's device, for what only the kernel's has (its steering, say). */
    public TunDevice device() {
        return device;
    }

    @Override
    public String name() {
        return device.name();
    }

    @Override
    public int queueCount() {
        return queues.size();
    }

    @Override
    public TunQueueHandle queue(int i) {
        return queues.get(i);
    }

    @Override
    public boolean tcpTrains() {
        return device.offloads().tso4() && device.offloads().tso6();
    }

    @Override
    public boolean udpTrains() {
        return device.offloads().uso();
    }

    @Override
    public String describe() {
        return device.describe();
    }

    @Override
    public void close() {
        for (TunQueueHandle q : queues) {
            q.close();
        }
        device.close();
    }
}
