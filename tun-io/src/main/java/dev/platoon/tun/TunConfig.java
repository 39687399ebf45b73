package dev.platoon.tun;

/**
 * How to open a device. {@code name} empty lets the kernel choose; {@code queues} ≥ 1;
 * {@code offloads} asks for CSUM+TSO4/6(+USO4/6 when {@code uso}) and needs {@code vnetHdr};
 * {@code sndbuf} 0 keeps the kernel default (TUNSETSNDBUF otherwise); {@code napi} opens with
 * IFF_NAPI (frames we write are received from a NAPI poll of their queue, with GRO, instead of
 * straight from the write() call); {@code steering} picks how packets are spread over the queues ({@link Steering}).
 * The factories take {@code napi} from {@code -Dplatoon.tun.napi=true} and {@code steering} from
 * {@code -Dplatoon.tun.steering=kernel|ebpf}.
 */
public record TunConfig(String name, boolean tap, int queues, boolean multiQueue, boolean vnetHdr,
                        boolean offloads, boolean uso, int sndbuf, boolean napi, Steering steering) {
    public TunConfig {
        if (name == null) {
            name = "";
        }
        if (steering == null) {
            steering = Steering.KERNEL;
        }
        if (queues < 1) {
            throw new IllegalArgumentException("queues must be at least 1, not " + queues);
        }
        if (queues > 1 && !multiQueue) {
            throw new IllegalArgumentException(queues + " queues need multiQueue");
        }
        if (offloads && !vnetHdr) {
            throw new IllegalArgumentException("offloads need vnetHdr");
        }
    }

    /** A multi-queue tun with vnet_hdr and every offload, one queue. */
    public static TunConfig tun(String name) {
        return new TunConfig(name, false, 1, true, true, true, true, 0, Boolean.getBoolean("platoon.tun.napi"),
                Steering.fromProperty());
    }

    public static TunConfig tap(String name) {
        return new TunConfig(name, true, 1, true, true, true, true, 0, Boolean.getBoolean("platoon.tun.napi"),
                Steering.fromProperty());
    }

    public TunConfig withQueues(int n) {
        return new TunConfig(name, tap, n, multiQueue, vnetHdr, offloads, uso, sndbuf, napi, steering);
    }

    public TunConfig withOffloads(boolean on) {
        return new TunConfig(name, tap, queues, multiQueue, vnetHdr, on, uso && on, sndbuf, napi, steering);
    }

    public TunConfig withUso(boolean on) {
        return new TunConfig(name, tap, queues, multiQueue, vnetHdr, offloads, on, sndbuf, napi, steering);
    }

    public TunConfig withMultiQueue(boolean on) {
        return new TunConfig(name, tap, queues, on, vnetHdr, offloads, uso, sndbuf, napi, steering);
    }

    public TunConfig withSndbuf(int bytes) {
        return new TunConfig(name, tap, queues, multiQueue, vnetHdr, offloads, uso, bytes, napi, steering);
    }

    public TunConfig withNapi(boolean on) {
        return new TunConfig(name, tap, queues, multiQueue, vnetHdr, offloads, uso, sndbuf, on, steering);
    }

    public TunConfig withSteering(Steering s) {
        return new TunConfig(name, tap, queues, multiQueue, vnetHdr, offloads, uso, sndbuf, napi, s);
    }
}
