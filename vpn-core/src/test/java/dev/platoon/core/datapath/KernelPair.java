package dev.platoon.core.datapath;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import dev.platoon.core.device.DeviceParts;
import dev.platoon.core.routing.AllowedIps;
import dev.platoon.core.tap.KernelTap;
import dev.platoon.core.tap.NeighbourTargets;
import dev.platoon.core.tap.Tap;
import dev.platoon.core.tap.TapSettings;
import dev.platoon.core.transport.KernelTun;
import dev.platoon.core.transport.Tun;
import dev.platoon.core.transport.UdpBind;
import dev.platoon.crypto.Protocol;
import dev.platoon.testkit.NetNs;
import dev.platoon.testkit.VethPair;
import dev.platoon.tun.TunConfig;
import dev.platoon.tun.TunDevice;
import io.netty.channel.epoll.EpollIoHandler;

/**
 * Two nodes with real tun devices and UDP sockets in two network namespaces joined by a veth
 * (192.0.2.1 and .2), tunnel addresses 100.64.0.1/.2 and fd00:64::1/::2; the traffic comes from real
 * sockets in the namespaces, so the kernel makes the trains and takes them back.
 *
 * <p>With {@code tapAtA}, node a opens a tap instead, joined by a bridge to a veth whose other end is
 * in a third namespace, the "VM": the VM holds a's tunnel addresses and a's traffic starts and ends
 * there, with the VM's own ARP, neighbour discovery and TSO.
 */
final class KernelPair implements TunnelPair {
    private static final int QUEUES = 2;
    private final VethPair net;
    private final NetNs vm; // null without a tap
    private final SuiteNode a;
    private final SuiteNode b;

    KernelPair(Mode mode) throws Exception {
        this(mode, false);
    }

    KernelPair(Mode mode, boolean tapAtA) throws Exception {
        VethPair pair = null;
        NetNs host = null;
        SuiteNode na = null;
        SuiteNode nb = null;
        try {
            pair = VethPair.create("dp");
            DeviceParts parts = new DeviceParts(tuns(mode.offloads()), UdpBind.KERNEL, EpollIoHandler.newFactory(),
                    System::nanoTime, InstantSource.system());
            if (tapAtA) {
                host = NetNs.create("dpvm");
                AtomicReference<AllowedIps<?>> routes = new AtomicReference<>();
                TapSettings settings = TapSettings.of("ptdpa", NeighbourTargets.routedOrOwn(routes::get, List.of()),
                        System::nanoTime);
                DeviceParts tapParts = new DeviceParts((name, queues, counters) -> KernelTap.open(TunDevice.open(
                        TunConfig.tap(name).withQueues(queues).withOffloads(mode.offloads())), counters, settings),
                        parts.binds(), parts.loops(), parts.nanoClock(), parts.wallClock());
                na = pair.a().call(() -> SuiteNode.open("ptdpa", tapParts, QUEUES, "100.64.0.1", "fd00:64::1"));
                routes.set(na.plane.routes());
                bridge(pair.a(), "ptdpa", host, "100.64.0.1", "fd00:64::1");
            } else {
                na = node(pair.a(), parts, "ptdpa", "100.64.0.1", "fd00:64::1");
            }
            nb = node(pair.b(), parts, "ptdpb", "100.64.0.2", "fd00:64::2");
            na.connect(nb, new InetSocketAddress(VethPair.B_ADDRESS, nb.plane.bind().localPort()));
            nb.connect(na, new InetSocketAddress(VethPair.A_ADDRESS, na.plane.bind().localPort()));
            na.start();
            nb.start();
        } catch (Exception | Error e) {
            closeAll(na, nb, pair, host);
            throw e;
        }
        net = pair;
        vm = host;
        a = na;
        b = nb;
    }

    /** A bridge in {@code ns} joining tap {@code tap} and a veth to {@code vm}, which holds the addresses. */
    private static void bridge(NetNs ns, String tap, NetNs vm, String tunnel4, String tunnel6) {
        ns.exec("ip", "link", "add", "br0", "type", "bridge");
        NetNs.veth(ns, "vmport", vm, "eth0");
        for (String port : new String[] {tap, "vmport"}) {
            ns.exec("ip", "link", "set", port, "mtu", "1420", "master", "br0", "up");
        }
        ns.exec("ip", "link", "set", "br0", "up");
        vm.exec("ip", "addr", "add", tunnel4 + "/24", "dev", "eth0");
        vm.exec("ip", "-6", "addr", "add", tunnel6 + "/64", "dev", "eth0", "nodad");
        vm.exec("ip", "link", "set", "eth0", "mtu", "1420", "up");
    }

    private static Tun.Opener tuns(boolean offloads) {
        return (name, queues, counters) -> new KernelTun(
                TunDevice.open(TunConfig.tun(name).withQueues(queues).withOffloads(offloads)), counters);
    }

    /** A node opened on the namespace's thread (its tun and sockets are the namespace's), addressed. */
    private static SuiteNode node(NetNs ns, DeviceParts parts, String name, String tunnel4, String tunnel6)
            throws Exception {
        SuiteNode n = ns.call(() -> SuiteNode.open(name, parts, QUEUES, tunnel4, tunnel6));
        ns.exec("ip", "addr", "add", tunnel4 + "/24", "dev", name);
        ns.exec("ip", "-6", "addr", "add", tunnel6 + "/64", "dev", name, "nodad");
        ns.exec("ip", "link", "set", name, "mtu", "1420", "up");
        return n;
    }

    /** Where {@code n}'s tunnel addresses are: its own namespace, or the VM behind its tap. */
    private NetNs ns(SuiteNode n) {
        return n == a ? (vm != null ? vm : net.a()) : net.b();
    }

    /** Where {@code n}'s UDP sockets are. */
    private NetNs outerNs(SuiteNode n) {
        return n == a ? net.a() : net.b();
    }

    @Override
    public SuiteNode a() {
        return a;
    }

    @Override
    public SuiteNode b() {
        return b;
    }

    @Override
    public List<byte[]> udp(SuiteNode from, SuiteNode to, List<byte[]> payloads, boolean ipv6) throws Exception {
        InetAddress target = ipv6 ? to.tunnel6 : to.tunnel4;
        try (DatagramSocket rx = ns(to).call(() -> new DatagramSocket(new InetSocketAddress(target, 0)));
             DatagramSocket tx = ns(from).call(DatagramSocket::new)) {
            rx.setSoTimeout(200);
            for (byte[] p : payloads) {
                tx.send(new DatagramPacket(p, p.length, target, rx.getLocalPort()));
            }
            List<byte[]> got = new ArrayList<>();
            byte[] buf = new byte[65536];
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (got.size() < payloads.size() && System.nanoTime() < deadline) {
                DatagramPacket d = new DatagramPacket(buf, buf.length);
                try {
                    rx.receive(d);
                    got.add(Arrays.copyOf(d.getData(), d.getLength()));
                } catch (SocketTimeoutException again) {
                    // until the deadline
                }
            }
            return got;
        }
    }

    @Override
    public byte[] tcp(SuiteNode from, SuiteNode to, byte[] data) throws Exception {
        try (ServerSocket server = ns(to).call(() -> new ServerSocket(0, 1, to.tunnel4));
             Socket client = ns(from).call(() -> {
                 Socket s = new Socket();
                 s.bind(new InetSocketAddress(from.tunnel4, 0)); // makes the socket, in from's namespace
                 return s;
             })) {
            server.setSoTimeout((int) WAIT.toMillis());
            CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
                try {
                    client.connect(new InetSocketAddress(to.tunnel4, server.getLocalPort()), (int) WAIT.toMillis());
                    OutputStream out = client.getOutputStream();
                    out.write(data);
                    client.shutdownOutput();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket accepted = server.accept()) {
                accepted.setSoTimeout((int) WAIT.toMillis());
                InputStream in = accepted.getInputStream();
                byte[] got = in.readAllBytes();
                send.join();
                return got;
            }
        }
    }

    @Override
    public void junk(SuiteNode to, int count) throws Exception {
        byte[] message = new byte[Protocol.MESSAGE_TRANSPORT_MIN_SIZE + 32];
        ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN).putInt(0, Protocol.MESSAGE_TRANSPORT)
                .putInt(Protocol.TRANSPORT_RECEIVER, 0x7eadbeef);
        SuiteNode other = to == a ? b : a;
        try (DatagramSocket s = outerNs(other).call(DatagramSocket::new)) {
            for (int i = 0; i < count; i++) {
                s.send(new DatagramPacket(message, message.length, outer(to)));
            }
        }
    }

    @Override
    public void roam(SuiteNode node) throws Exception {
        outerNs(node).call(() -> {                // new sockets are made in the caller's namespace
            node.plane.bind().rebind(0);
            return null;
        });
    }

    @Override
    public InetSocketAddress outer(SuiteNode node) {
        return new InetSocketAddress(node == a ? VethPair.A_ADDRESS : VethPair.B_ADDRESS, node.plane.bind().localPort());
    }

    /** A test's datagrams reach the tun as the kernel pleases, not necessarily in one read. */
    @Override
    public boolean sendsInOneRead() {
        return false;
    }

    @Override
    public String toString() {
        return a.plane.tun().describe() + "; " + b.plane.tun().describe();
    }

    @Override
    public void close() {
        if (a != null && a.plane.tun() instanceof Tap tap) {
            System.out.println("tap: " + tap.counters()); // what the VM's side sent besides IP, for the log
        }
        closeAll(a, b, net, vm);
    }

    private static void closeAll(SuiteNode a, SuiteNode b, VethPair net, NetNs vm) {
        for (AutoCloseable c : new AutoCloseable[] {a, b, net, vm}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the namespaces go last and take everything in them
                }
            }
        }
    }
}
