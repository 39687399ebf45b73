package dev.platoon.core.datapath;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.platoon.core.device.DeviceParts;
import dev.platoon.core.memory.MemoryBind;
import dev.platoon.core.memory.MemoryNet;
import dev.platoon.core.memory.MemoryEdge;
import dev.platoon.core.memory.MemoryTap;
import dev.platoon.core.memory.MemoryTun;
import dev.platoon.core.routing.AllowedIps;
import dev.platoon.core.tap.NeighbourTargets;
import dev.platoon.core.tap.TapSettings;
import dev.platoon.core.transport.Tun;
import dev.platoon.crypto.Protocol;
import io.netty.channel.local.LocalIoHandler;

/**
 * Two nodes on a {@link MemoryNet} with {@link MemoryTun}s: frames in at one tun, out at the other.
 * With {@code tapAtA}, node a's device side is a {@link MemoryTap} instead, with the host holding a's
 * tunnel addresses behind it.
 */
final class MemoryPair implements TunnelPair {
    static final int QUEUES = 2;
    private static final int MSS = 1400;
    private final MemoryNet net = new MemoryNet();
    private final Mode mode;
    private final SuiteNode a;
    private final SuiteNode b;

    MemoryPair(Mode mode) throws Exception {
        this(mode, false);
    }

    MemoryPair(Mode mode, boolean tapAtA) throws Exception {
        this.mode = mode;
        AtomicReference<AllowedIps<?>> routesOfA = new AtomicReference<>();
        Tun.Opener tunOfA = !tapAtA ? MemoryTun.opener(mode.offloads()) : MemoryTap.opener(mode.offloads(),
                TapSettings.of("mema", NeighbourTargets.routedOrOwn(routesOfA::get, List.of()), System::nanoTime),
                0x5254_0000_0001L, "100.64.0.1", "fd00:64::1");
        a = SuiteNode.open("mema", parts(InetAddress.getByName("192.0.2.1"), tunOfA), QUEUES, "100.64.0.1",
                "fd00:64::1");
        routesOfA.set(a.plane.routes());
        b = SuiteNode.open("memb", parts(InetAddress.getByName("192.0.2.2"), MemoryTun.opener(mode.offloads())),
                QUEUES, "100.64.0.2", "fd00:64::2");
        a.connect(b, outer(b));
        b.connect(a, outer(a));
        a.start();
        b.start();
        if (tapAtA) {
            ((MemoryTap) a.plane.tun()).announce();
        }
    }

    private DeviceParts parts(InetAddress outer, Tun.Opener tuns) {
        return new DeviceParts(tuns, net.opener(outer), LocalIoHandler.newFactory(), System::nanoTime,
                InstantSource.system());
    }

    @Override
    public SuiteNode a() {
        return a;
    }

    @Override
    public SuiteNode b() {
        return b;
    }

    private static MemoryEdge tun(SuiteNode n) {
        return (MemoryEdge) n.plane.tun();
    }

    @Override
    public List<byte[]> udp(SuiteNode from, SuiteNode to, List<byte[]> payloads, boolean ipv6) throws Exception {
        List<byte[]> frames = new ArrayList<>();
        for (byte[] p : payloads) {
            frames.add(SuiteFrames.udp(ipv6 ? from.tunnel6 : from.tunnel4, ipv6 ? to.tunnel6 : to.tunnel4, 5000, 6000, p));
        }
        tun(from).inject(0, frames);
        List<byte[]> got = new ArrayList<>();
        collect(to, payloads.size(), ip -> {
            if (SuiteFrames.protocol(ip) == SuiteFrames.UDP) {
                got.add(SuiteFrames.udpPayload(ip));
                return 1;
            }
            return 0;
        });
        return got;
    }

    @Override
    public byte[] tcp(SuiteNode from, SuiteNode to, byte[] data) throws Exception {
        int perFrame = mode.offloads() ? 64 * 1024 - 100 : MSS; // without offloads the kernel sends packets
        List<byte[]> frames = new ArrayList<>();
        for (int off = 0; off < data.length; off += perFrame) {
            byte[] chunk = java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + perFrame));
            frames.add(SuiteFrames.tcpTrain(from.tunnel4, to.tunnel4, 5001, 6001, 1000 + off, chunk, MSS));
            if (frames.size() == 16) {            // a read batch's worth, as a busy queue hands them over
                tun(from).inject(0, frames);
                frames.clear();
            }
        }
        tun(from).inject(0, frames);
        TreeMap<Long, byte[]> bySeq = new TreeMap<>();
        collect(to, data.length, ip -> {
            if (SuiteFrames.protocol(ip) != SuiteFrames.TCP) {
                return 0;
            }
            byte[] p = SuiteFrames.tcpPayload(ip);
            bySeq.put(SuiteFrames.tcpSeq(ip), p);
            return p.length;
        });
        ByteBuffer out = ByteBuffer.allocate(data.length);
        bySeq.values().forEach(out::put);
        return out.array();
    }

    /** Reads frames from every queue of {@code to}'s tun until {@code count} is reached or time is up. */
    private static void collect(SuiteNode to, int count, java.util.function.ToIntFunction<byte[]> take)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int seen = 0;
        while (seen < count && System.nanoTime() < deadline) {
            boolean any = false;
            for (int q = 0; q < QUEUES; q++) {
                for (byte[] frame = tun(to).take(q, 0); frame != null; frame = tun(to).take(q, 0)) {
                    any = true;
                    for (byte[] ip : SuiteFrames.packets(frame)) {
                        seen += take.applyAsInt(ip);
                    }
                }
            }
            if (!any) {
                tun(to).awaitWritten(5);
            }
        }
    }

    @Override
    public void junk(SuiteNode to, int count) {
        byte[] message = new byte[Protocol.MESSAGE_TRANSPORT_MIN_SIZE + 32];
        ByteBuffer m = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        m.putInt(0, Protocol.MESSAGE_TRANSPORT).putInt(Protocol.TRANSPORT_RECEIVER, 0x7eadbeef);
        for (int i = 0; i < count; i++) {
            net.send(new InetSocketAddress("192.0.2.99", 9999), outer(to), message, message.length);
        }
    }

    @Override
    public void roam(SuiteNode node) throws Exception {
        node.plane.bind().rebind(0);
    }

    @Override
    public InetSocketAddress outer(SuiteNode node) {
        return ((MemoryBind) node.plane.bind()).localAddress();
    }

    @Override
    public String toString() {
        return mode + ": " + net.delivered.sum() + " datagrams delivered, " + net.unroutable.sum() + " unroutable";
    }

    /** Closes both; a sink that threw on the way fails the test, with its exception. */
    @Override
    public void close() {
        RuntimeException failure = ((MemoryBind) a.plane.bind()).firstFailure();
        if (failure == null) {
            failure = ((MemoryBind) b.plane.bind()).firstFailure();
        }
        String tapTrouble = a.plane.tun() instanceof MemoryTap tap
                && (tap.counters().drops() != 0 || !tap.surprises().isEmpty())
                ? tap.counters() + ", the host saw " + tap.surprises() : null;
        a.close();
        b.close();
        if (failure != null) {
            throw new AssertionError("the data path threw: " + failure, failure);
        }
        if (tapTrouble != null) {
            throw new AssertionError("tap: " + tapTrouble);
        }
    }
}
