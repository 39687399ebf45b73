package dev.platoon.core.memory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import dev.platoon.core.tap.NeighbourTable;
import dev.platoon.core.tap.Tap;
import dev.platoon.core.tap.TapCounters;
import dev.platoon.core.tap.TapFrames;
import dev.platoon.core.tap.TapQueue;
import dev.platoon.core.tap.TapSettings;
import dev.platoon.core.transport.Tun;
import dev.platoon.core.transport.TunFrameSink;
import dev.platoon.core.transport.TunPort;
import dev.platoon.tun.ArpPacket;
import dev.platoon.tun.EthernetHeader;
import dev.platoon.tun.Ipv6Header;
import dev.platoon.tun.NeighbourMessage;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.Future;

/**
 * A tap in memory: platoon's real {@link Tap} over {@link MemoryTun} queues, with a tiny Ethernet host
 * on the far side holding one IPv4 and one IPv6 address. The host ARPs (or solicits) for a
 * destination before its first packet, answers platoon's requests and solicitations, and wraps and
 * unwraps Ethernet headers, so a test still injects and takes tun frames. It runs on the test's thread,
 * inside {@link #inject} and {@link #take}.
 */
public final class MemoryTap implements Tun, MemoryEdge {
    private static final long WAIT_NANOS = 10_000_000_000L;
    private final MemoryTun raw;
    private final Tap tap;
    private final long hostMac;
    private final byte[] host4;
    private final byte[] host6;
    private long router4 = NeighbourTable.NO_MAC; // platoon's MAC as the host learned it (test thread)
    private long router6 = NeighbourTable.NO_MAC;
    private final List<ArrayDeque<byte[]>> pending = new ArrayList<>(); // IP frames met while waiting for a reply
    private final List<String> surprises = Collections.synchronizedList(new ArrayList<>());

    private MemoryTap(MemoryTun raw, TapSettings settings, long hostMac, String host4, String host6) {
        this.raw = raw;
        this.hostMac = hostMac;
        this.host4 = TapFrames.address(host4);
        this.host6 = TapFrames.address(host6);
        List<TapQueue> queues = new ArrayList<>();
        for (int i = 0; i < raw.queueCount(); i++) {
            queues.add(new Lower(raw.queue(i)));
            pending.add(new ArrayDeque<>());
        }
        this.tap = new Tap(raw.name(), queues, raw.tcpTrains(), raw.udpTrains(), raw.describe() + " as a tap",
                raw::close, settings);
    }

    /** Taps whose host behind holds {@code host4} and {@code host6} at {@code hostMac}. */
    public static Tun.Opener opener(boolean trains, TapSettings settings, long hostMac, String host4, String host6) {
        return (name, queues, counters) -> new MemoryTap(new MemoryTun(name, queues, trains, counters), settings,
                hostMac, host4, host6);
    }

    public TapCounters counters() {
        return tap.counters();
    }

    /** Frames the host did not expect (for a failure message); empty when all went as a host expects. */
    public List<String> surprises() {
        return List.copyOf(surprises);
    }

    /**
     * The host's link comes up: a gratuitous ARP and an unsolicited advertisement, as a VM's interface
     * sends; returns once platoon has learned both, so traffic from the tunnel finds the host at once.
     */
    public void announce() throws InterruptedException {
        String a4 = text(host4), a6 = text(host6);
        raw.inject(0, List.of(
                TapFrames.arp(EthernetHeader.BROADCAST, hostMac, ArpPacket.OP_REQUEST, hostMac, a4, 0, a4),
                TapFrames.neighbour(0x3333_0000_0001L, hostMac, NeighbourMessage.TYPE_ADVERTISEMENT,
                        NeighbourMessage.FLAG_OVERRIDE, a6, "ff02::1", a6, hostMac, NeighbourMessage.HOP_LIMIT)));
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (tap.neighbours(false).find(ByteBuffer.wrap(host4), 0, false) == null
                || tap.neighbours(true).find(ByteBuffer.wrap(host6), 0, true) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the tap did not learn the host from its announcement: " + tap.counters());
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void inject(int queue, List<byte[]> frames) {
        List<byte[]> wrapped = new ArrayList<>(frames.size());
        for (byte[] f : frames) {
            boolean v6 = (f[TapFrames.ETH] >> 4 & 0xf) == 6;
            try {
                long router = v6 ? router6 : router4;
                if (router == NeighbourTable.NO_MAC) {
                    router = resolve(queue, f, v6);
                }
                wrapped.add(TapFrames.wrap(router, hostMac, f));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while resolving", e);
            }
        }
        raw.inject(queue, wrapped);
    }

    /** Asks for the MAC of the destination of tun frame {@code f}, as a host does before its first packet. */
    private long resolve(int queue, byte[] f, boolean v6) throws InterruptedException {
        byte[] destination = new byte[v6 ? 16 : 4];
        System.arraycopy(f, TapFrames.ETH + (v6 ? 24 : 16), destination, 0, destination.length);
        String to = text(destination);
        if (v6) {
            String group = "ff02::1:ff" + String.format("%02x:%02x%02x", destination[13], destination[14], destination[15]);
            raw.inject(queue, List.of(TapFrames.neighbour(0x3333_ff00_0000L | (destination[13] & 0xff) << 16
                            | (destination[14] & 0xff) << 8 | (destination[15] & 0xff), hostMac,
                    NeighbourMessage.TYPE_SOLICITATION, 0, text(host6), group, to, hostMac, NeighbourMessage.HOP_LIMIT)));
        } else {
            raw.inject(queue, List.of(TapFrames.arp(EthernetHeader.BROADCAST, hostMac, ArpPacket.OP_REQUEST, hostMac,
                    text(host4), 0, to)));
        }
        long deadline = System.nanoTime() + WAIT_NANOS;
        while ((v6 ? router6 : router4) == NeighbourTable.NO_MAC) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no answer to the host's " + (v6 ? "solicitation" : "ARP") + " for " + to);
            }
            boolean any = false;
            for (int q = 0; q < raw.queueCount(); q++) {
                for (byte[] w = raw.take(q, 0); w != null; w = raw.take(q, 0)) {
                    any = true;
                    byte[] ip = receive(q, w);
                    if (ip != null) {
                        pending.get(q).add(ip);
                    }
                }
            }
            if (!any) {
                raw.awaitWritten(5);
            }
        }
        return v6 ? router6 : router4;
    }

    @Override
    public byte[] take(int queue, long millis) throws InterruptedException {
        if (!pending.get(queue).isEmpty()) {
            return pending.get(queue).poll();
        }
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (byte[] w = raw.take(queue, millis); w != null; w = raw.take(queue, remaining(deadline))) {
            byte[] ip = receive(queue, w);
            if (ip != null) {
                return ip;
            }
        }
        return null;
    }

    private static long remaining(long deadline) {
        return Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
    }

    /** What the host does with a frame platoon wrote: the tun frame of an IP packet for it, else null. */
    private byte[] receive(int queue, byte[] w) {
        EthernetHeader eth = TapFrames.ethernet(w);
        if (eth.etherType() == EthernetHeader.ETHERTYPE_ARP) {
            ArpPacket arp = TapFrames.arp(w);
            if (arp.targetIp() == ByteBuffer.wrap(host4).getInt()) {
                router4 = arp.senderMac();
                if (arp.operation() == ArpPacket.OP_REQUEST) {
                    raw.inject(queue, List.of(TapFrames.arp(arp.senderMac(), hostMac, ArpPacket.OP_REPLY, hostMac,
                            text(host4), arp.senderMac(), ip4Text(arp.senderIp()))));
                }
                return null;
            }
        } else if (eth.etherType() == EthernetHeader.ETHERTYPE_IPV6 && w[TapFrames.L3 + 6] == 58
                && (w[TapFrames.L3 + Ipv6Header.LENGTH] & 0xff) >= NeighbourMessage.TYPE_SOLICITATION
                && (w[TapFrames.L3 + Ipv6Header.LENGTH] & 0xff) <= NeighbourMessage.TYPE_ADVERTISEMENT) {
            return neighbour(queue, w);
        } else if (eth.destination() == hostMac) {
            return TapFrames.unwrap(w);
        }
        surprises.add("queue " + queue + ": " + w.length + " bytes, type " + Integer.toHexString(eth.etherType())
                + " to " + EthernetHeader.format(eth.destination()));
        return null;
    }

    private byte[] neighbour(int queue, byte[] w) {
        ByteBuffer b = ByteBuffer.wrap(w);
        Ipv6Header ip = new Ipv6Header().wrap(b, TapFrames.L3);
        NeighbourMessage nd = new NeighbourMessage().wrap(b, TapFrames.L3 + Ipv6Header.LENGTH);
        byte[] target = new byte[16];
        b.get(nd.targetOffset(), target);
        if (!java.util.Arrays.equals(target, host6) && nd.type() == NeighbourMessage.TYPE_SOLICITATION) {
            surprises.add("solicitation for " + text(target));
            return null;
        }
        if (nd.type() == NeighbourMessage.TYPE_ADVERTISEMENT) {
            router6 = nd.macOption(NeighbourMessage.OPTION_TARGET_MAC, w.length);
            return null;
        }
        long asker = nd.macOption(NeighbourMessage.OPTION_SOURCE_MAC, w.length);
        router6 = asker;
        byte[] source = new byte[16];
        b.get(ip.sourceOffset(), source);
        raw.inject(queue, List.of(TapFrames.neighbour(asker, hostMac, NeighbourMessage.TYPE_ADVERTISEMENT,
                NeighbourMessage.FLAG_SOLICITED | NeighbourMessage.FLAG_OVERRIDE, text(host6), text(source),
                text(host6), hostMac, NeighbourMessage.HOP_LIMIT)));
        return null;
    }

    private static String ip4Text(int a) {
        return text(ByteBuffer.allocate(4).putInt(0, a).array());
    }

    private static String text(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void awaitWritten(long millis) throws InterruptedException {
        raw.awaitWritten(millis);
    }

    @Override
    public String name() {
        return tap.name();
    }

    @Override
    public int queueCount() {
        return tap.queueCount();
    }

    @Override
    public TunPort queue(int i) {
        return tap.queue(i);
    }

    @Override
    public boolean tcpTrains() {
        return tap.tcpTrains();
    }

    @Override
    public boolean udpTrains() {
        return tap.udpTrains();
    }

    @Override
    public String describe() {
        return tap.describe();
    }

    @Override
    public void close() {
        tap.close();
    }

    /** A memory tun queue as a tap queue: a gathered write is joined, then written as one frame. */
    private record Lower(MemoryTun.Port port) implements TapQueue {
        @Override
        public boolean writeFrame(ByteBuffer head, int headOffset, int headLength, ByteBuffer body, int bodyOffset,
                                  int bodyLength) {
            ByteBuffer joined = ByteBuffer.allocate(headLength + bodyLength);
            joined.put(0, head, headOffset, headLength).put(headLength, body, bodyOffset, bodyLength);
            return port.writeFrame(joined, 0, joined.capacity());
        }

        @Override
        public Future<Void> start(IoEventLoop loop, TunFrameSink sink) {
            return port.start(loop, sink);
        }

        @Override
        public boolean writeFrame(ByteBuffer direct, int offset, int length) {
            return port.writeFrame(direct, offset, length);
        }

        @Override
        public void pauseReading() {
            port.pauseReading();
        }

        @Override
        public void resumeReading() {
            port.resumeReading();
        }

        @Override
        public void onReadFailure(Consumer<String> listener) {
            port.onReadFailure(listener);
        }

        @Override
        public void close() {
            port.close();
        }
    }
}
