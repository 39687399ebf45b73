package dev.platoon.core.e2e;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Predicate;

import dev.platoon.core.demo.Shell;
import dev.platoon.testkit.NetNs;
import dev.platoon.tun.Steering;
import dev.platoon.tun.TunConfig;
import dev.platoon.tun.TunDevice;
import dev.platoon.tun.TunQueue;

/**
 * A plain tap (no vnet header, no offloads) on a bridge, opened by the test itself: what it writes
 * enters the bridge as frames from one more host on the segment, with any content a real host could
 * send (unknown EtherTypes, malformed ARP), and it reads what the bridge floods to every port.
 */
final class BridgeProbe implements AutoCloseable {
    /** The probe's own (locally administered) MAC, the source of every frame it writes. */
    static final byte[] MAC = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x0e};
    private static final int ETHER = 14;
    private final TunDevice device;
    private final TunQueue queue;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(65536);

    private BridgeProbe(TunDevice device) {
        this.device = device;
        this.queue = device.queue(0);
    }

    /** Opens tap {@code name} in {@code namespace} and puts it on {@code bridge}, up. */
    static BridgeProbe open(String namespace, String name, String bridge) throws Exception {
        TunDevice device = NetNs.call(namespace, () -> TunDevice.open(
                new TunConfig(name, true, 1, false, false, false, false, 0, false, Steering.KERNEL)));
        try {
            Shell.run(Duration.ofSeconds(10), "ip", "-n", namespace, "link", "set", name, "master", bridge, "up")
                    .orThrow();
            return new BridgeProbe(device);
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /** Writes one Ethernet frame: destination, the probe's MAC, {@code etherType}, then {@code payload}. */
    void send(byte[] destination, int etherType, byte[] payload) throws Exception {
        buffer.clear();
        buffer.put(destination).put(MAC).putShort((short) etherType).put(payload);
        int length = buffer.position();
        if (queue.write(buffer, 0, length) != length) {
            throw new IllegalStateException(device.name() + ": frame of " + length + " bytes not written");
        }
    }

    /** Reads frames until one matches (the frame's bytes from its Ethernet header on), or null at the deadline. */
    byte[] await(Duration timeout, Predicate<byte[]> match) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            int wait = (int) Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000));
            if (!queue.poll(wait)) {
                continue;
            }
            int n = queue.read(buffer, 0, buffer.capacity());
            if (n >= ETHER) {
                byte[] frame = new byte[n];
                buffer.get(0, frame);
                if (match.test(frame)) {
                    return frame;
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        device.close();
    }
}
