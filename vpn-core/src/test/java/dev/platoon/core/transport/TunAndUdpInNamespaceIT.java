package dev.platoon.core.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platoon.testkit.Checksum;
import dev.platoon.testkit.NetNs;
import dev.platoon.testkit.Packets;
import dev.platoon.tun.TunConfig;
import dev.platoon.tun.TunDevice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real tun device (tun-io's TunDevice: IFF_VNET_HDR, offloads incl. USO) and a dual-stack UDP bind, both
 * created in a private network namespace by a setns()'d thread, served by ordinary (root-namespace)
 * event-loop threads.
 */
class TunAndUdpInNamespaceIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private NetNs ns;
    private QueueLoops loops;
    private UdpBind bind;
    private TunDevice device;
    private TunQueueHandle tun;
    private final TransportCounters counters = new TransportCounters();
    private final CollectingSink udpSink = new CollectingSink();
    private final TunQueueHandleTest.FrameLog tunLog = new TunQueueHandleTest.FrameLog();

    @BeforeEach
    void setUp() throws Exception {
        ns = NetNs.create("tr");
        loops = QueueLoops.create(1, "ns-it");
        // tun-io opens the device on the namespace thread: it is created in that thread's namespace.
        device = ns.call(() -> TunDevice.open(TunConfig.tun("pt0")));
        assertTrue(device.offloads().uso(), "USO negotiated: " + device.describe());
        ns.exec("ip", "addr", "add", "100.64.0.1/24", "dev", "pt0");
        ns.exec("ip", "link", "set", "pt0", "up");
        tun = new TunQueueHandle(device.queue(0).fd(), false, tunLog, counters);
        tun.register(loops.loop(0)).sync();
        bind = ns.call(() -> UdpBind.open(loops.loops(), null, 0, UdpOptions.defaults(), counters, i -> udpSink));
    }

    @AfterEach
    void tearDown() {
        try {
            if (bind != null) {
                bind.close();
            }
            if (tun != null) {
                tun.close();
            }
            if (loops != null) {
                loops.close();
            }
            if (device != null) {
                device.close();          // the owner closes the fd, after the loop let go of it
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
    }

    /** The frames of IPv4/UDP to {@code port} seen so far (others, e.g. IPv6 router solicitations, ignored). */
    private java.util.List<byte[]> udpFramesTo(int port) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        synchronized (tunLog) {
            for (byte[] f : tunLog.frames) {
                int ip = TunQueueHandle.VNET_HDR_LEN;
                if (f.length >= ip + 28 && (f[ip] >> 4) == 4 && f[ip + 9] == 17
                        && (((f[ip + 22] & 0xff) << 8) | (f[ip + 23] & 0xff)) == port) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    @Test
    void socketsAndTunLiveInTheNamespaceNotInTheRoot() throws Exception {
        String port = String.format(Locale.ROOT, ":%04X ", bind.localPort());
        assertTrue(ns.exec("cat", "/proc/net/udp6").contains(port), "bound inside the namespace");
        assertFalse(Files.readString(Path.of("/proc/self/net/udp6")).contains(port), "not bound in the root");
        assertTrue(ns.exec("ip", "link", "show", "pt0").contains("pt0"));
        // And the loop thread that serves them is in the root namespace: reachable only from inside.
        ns.exec("bash", "-c", "echo -n inside > /dev/udp/127.0.0.1/" + bind.localPort());
        CollectingSink.await("datagram from inside the namespace", WAIT, () -> udpSink.count() == 1);
        assertArrayEquals("inside".getBytes(StandardCharsets.US_ASCII), udpSink.datagrams().get(0));
    }

    @Test
    void packetRoutedIntoTheTunIsReadWithItsVirtioHeader() throws Exception {
        ns.exec("bash", "-c", "echo -n hello > /dev/udp/100.64.0.2/4242");
        CollectingSink.await("the frame", WAIT, () -> udpFramesTo(4242).size() == 1);
        byte[] f = udpFramesTo(4242).get(0);
        assertEquals(12 + 20 + 8 + 5, f.length);
        assertEquals(0, f[1], "gso_type NONE");
        assertEquals("hello", new String(f, 40, 5, StandardCharsets.US_ASCII));
        assertEquals(100, f[12 + 16] & 0xff, "destination 100.64.0.2");
        assertEquals(2, f[12 + 19]);
    }

    @Test
    void gsoTrainFromTheSocketReachesTheTunAsOneUdpL4Frame() throws Exception {
        TrainSender s = bind.sender(0);
        ByteBuf train = Unpooled.directBuffer(14000);
        for (int i = 0; i < 14000; i++) {
            train.writeByte(i % 251);
        }
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("100.64.0.2"), 4243);
        s.channel().eventLoop().submit(() -> {
            s.sendTrain(train, 1400, to);
            s.flush();
        }).sync();
        CollectingSink.await("the train", WAIT, () -> !udpFramesTo(4243).isEmpty());
        byte[] f = udpFramesTo(4243).get(0);
        ByteBuffer h = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, udpFramesTo(4243).size(), "one frame: the platoon stayed whole");
        assertEquals(5, f[1], "gso_type UDP_L4");
        assertEquals(1400, h.getShort(4) & 0xffff, "gso_size = the datagram payload size");
        assertEquals(1, f[0] & 1, "NEEDS_CSUM: the checksum is left to the reader");
        assertEquals(12 + 20 + 8 + 14000, f.length);
        assertEquals(1, counters.gsoTrainsSent.sum());
        for (int i = 0; i < 14000; i++) {
            if (f[40 + i] != (byte) (i % 251)) {
                throw new AssertionError("payload byte " + i);
            }
        }
    }

    @Test
    void frameWrittenToTheTunIsDeliveredToTheBindInTheNamespace() throws Exception {
        byte[] payload = "world".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer frame = ByteBuffer.allocateDirect(12 + 20 + 8 + payload.length);
        // virtio_net_hdr: all zero = a complete packet, no offload
        int ip = 12;
        frame.put(ip, (byte) 0x45);
        frame.putShort(ip + 2, (short) (20 + 8 + payload.length));
        frame.put(ip + 8, (byte) 64);
        frame.put(ip + 9, (byte) 17);
        frame.put(ip + 12, InetAddress.getByName("100.64.0.2").getAddress());
        frame.put(ip + 16, InetAddress.getByName("100.64.0.1").getAddress());
        frame.putShort(ip + 10, (short) Checksum.checksum(Packets.bytes(frame, ip, 20), 0, 20));
        frame.putShort(ip + 20, (short) 5555);
        frame.putShort(ip + 22, (short) bind.localPort());
        frame.putShort(ip + 24, (short) (8 + payload.length));   // UDP checksum 0: none, allowed on IPv4
        frame.put(ip + 28, payload);
        boolean written = tun.loop().submit(() -> tun.writeFrame(frame, 0, frame.capacity())).get();
        assertTrue(written);
        CollectingSink.await("the datagram", WAIT, () -> udpSink.count() == 1);
        assertArrayEquals(payload, udpSink.datagrams().get(0));
        assertEquals(new InetSocketAddress(InetAddress.getByName("100.64.0.2"), 5555), udpSink.senders.get(0));
        assertEquals(1, counters.tunFramesWritten.sum());
    }
}
