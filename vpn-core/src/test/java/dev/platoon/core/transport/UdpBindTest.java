package dev.platoon.core.transport;

import dev.platoon.core.drop.Drop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Loopback only: two binds in the root namespace talk over 127.0.0.1 / ::1. */
class UdpBindTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int SEG = 1400;

    private QueueLoops loops;
    private final TransportCounters counters = new TransportCounters();
    private UdpBind rx;
    private UdpBind tx;
    private final CollectingSink rxSink = new CollectingSink();

    @BeforeEach
    void setUp() throws Exception {
        loops = QueueLoops.create(2, "udpbind-test");
        rx = UdpBind.open(loops.loops().subList(0, 1), null, 0, UdpOptions.defaults(), counters, i -> rxSink);
        tx = UdpBind.open(loops.loops().subList(1, 2), null, 0, UdpOptions.defaults(), counters,
                i -> new CollectingSink());
    }

    @AfterEach
    void tearDown() {
        if (tx != null) {
            tx.close();
        }
        if (rx != null) {
            rx.close();
        }
        loops.close();
    }

    private static ByteBuf train(long seed, int segments, int lastSize) {
        int len = (segments - 1) * SEG + lastSize;
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        ByteBuf buf = Unpooled.directBuffer(len);
        buf.writeBytes(b);
        return buf;
    }

    private static byte[] expectedSegment(long seed, int segments, int lastSize, int i) {
        ByteBuf all = train(seed, segments, lastSize);
        try {
            int off = i * SEG;
            byte[] out = new byte[Math.min(SEG, all.readableBytes() - off)];
            all.getBytes(off, out);
            return out;
        } finally {
            all.release();
        }
    }

    private void sendOnLoop(TrainSender s, ByteBuf content, InetSocketAddress to) throws Exception {
        s.channel().eventLoop().submit(() -> {
            s.sendTrain(content, SEG, to);
            s.flush();
        }).sync();
    }

    private void assertTrainArrived(long seed, int segments, int lastSize) {
        List<byte[]> got = rxSink.datagrams();
        assertEquals(segments, got.size());
        for (int i = 0; i < segments; i++) {
            assertArrayEquals(expectedSegment(seed, segments, lastSize, i), got.get(i), "segment " + i);
        }
    }

    @Test
    void gsoTrainArrivesAsOneGroBatchOfTenDatagrams() throws Exception {
        assertTrue(UdpBind.isSegmentedDatagramPacketSupported(), "UDP_SEGMENT support expected on this kernel");
        TrainSender s = tx.sender(0);
        assertTrue(s.isGsoEnabled());
        // One recvmsg per wakeup: [10] in one batch then proves the kernel handed over one GRO batch.
        rx.channel(0).config().setMaxMessagesPerRead(1);
        ByteBuf content = train(1, 10, SEG);
        sendOnLoop(s, content, new InetSocketAddress(InetAddress.getLoopbackAddress(), rx.localPort()));

        CollectingSink.await("10 datagrams and a batch end", WAIT, () -> rxSink.batchedCount() == 10);
        CollectingSink.await("train released", WAIT, () -> content.refCnt() == 0);
        assertEquals(List.of(10), rxSink.batches(), "one GRO batch of 10");
        assertTrainArrived(1, 10, SEG);
        assertEquals(1, counters.gsoTrainsSent.sum());
        assertEquals(10, counters.gsoSegmentsSent.sum());
        assertEquals(10, counters.receiveMaxBatch());
        assertEquals(127, rxSink.senders.get(0).getAddress().getAddress()[0], "IPv4 sender on a dual-stack socket");
    }

    @Test
    void gsoTrainWithShorterLastSegmentOverIpv6() throws Exception {
        sendOnLoop(tx.sender(0), train(2, 5, 333), new InetSocketAddress(InetAddress.getByName("::1"), rx.localPort()));
        CollectingSink.await("5 datagrams", WAIT, () -> rxSink.batchedCount() == 5);
        assertTrainArrived(2, 5, 333);
        assertEquals(333, rxSink.datagrams().get(4).length);
    }

    @Test
    void gsoOffSendsTheSameBytesAsSingles() throws Exception {
        TrainSender s = tx.sender(0);
        s.disableGso();
        assertFalse(s.isGsoEnabled());
        sendOnLoop(s, train(3, 10, SEG), new InetSocketAddress(InetAddress.getLoopbackAddress(), rx.localPort()));
        CollectingSink.await("10 datagrams", WAIT, () -> rxSink.batchedCount() == 10);
        assertTrainArrived(3, 10, SEG);
        assertEquals(0, counters.gsoTrainsSent.sum());
        assertEquals(10, counters.singleDatagramsSent.sum());
        assertEquals(1, counters.gsoDisabledChannels.sum());
    }

    /** What Netty does when sendmmsg fails: release the message and fail its promise with the errno. */
    private static final class FailGso extends ChannelOutboundHandlerAdapter {
        private final int errno;

        FailGso(int errno) {
            this.errno = errno;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof SegmentedDatagramPacket) {
                ReferenceCountUtil.release(msg);
                promise.setFailure(new Errors.NativeIoException("sendmmsg(..) failed", -errno));
            } else {
                ctx.write(msg, promise);
            }
        }
    }

    @Test
    void eioOnGsoSendFallsBackToSinglesWithoutLoss() throws Exception {
        TrainSender s = tx.sender(0);
        s.channel().pipeline().addLast(new FailGso(5));
        InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), rx.localPort());
        ByteBuf content = train(4, 10, SEG);
        sendOnLoop(s, content, to);
        CollectingSink.await("10 datagrams", WAIT, () -> rxSink.batchedCount() == 10);
        CollectingSink.await("train and its slices released", WAIT, () -> content.refCnt() == 0);
        assertTrainArrived(4, 10, SEG);
        assertFalse(s.isGsoEnabled(), "GSO turned off for the channel");
        assertEquals(1, counters.gsoFallbackTrains.sum());
        assertEquals(1, counters.gsoDisabledChannels.sum());
        assertEquals(0, counters.drops(Drop.UDP_SEND_ERROR));

        // The next train goes straight out as singles.
        sendOnLoop(s, train(5, 3, SEG), to);
        CollectingSink.await("13 datagrams", WAIT, () -> rxSink.batchedCount() == 13);
        assertEquals(1, counters.gsoFallbackTrains.sum());
    }

    @Test
    void otherSendErrorsAreCountedDropsAndKeepGso() throws Exception {
        TrainSender s = tx.sender(0);
        s.channel().pipeline().addLast(new FailGso(101)); // ENETUNREACH
        sendOnLoop(s, train(6, 4, SEG), new InetSocketAddress(InetAddress.getLoopbackAddress(), rx.localPort()));
        CollectingSink.await("a counted drop", WAIT, () -> counters.drops(Drop.UDP_SEND_ERROR) == 4);
        assertTrue(s.isGsoEnabled());
        assertEquals(0, counters.gsoFallbackTrains.sum());
    }

    @Test
    void oversizedTrainIsRefusedAndReleased() {
        ByteBuf big = Unpooled.directBuffer(65 * 100).writeZero(65 * 100);
        InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), rx.localPort());
        assertThrows(IllegalArgumentException.class, () -> tx.sender(0).sendTrain(big, 100, to));
        assertEquals(0, big.refCnt());
    }

    @Test
    void socketOptionsTakeEffect() throws Exception {
        int rmemMax = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/core/rmem_max")).trim());
        int asked = UdpOptions.DEFAULT_SOCKET_BUFFER;
        int expected = rx.buffersForced() ? 2 * asked : 2 * Math.min(asked, rmemMax);
        assertEquals(expected, rx.receiveBufferSize(0));
        assertTrue(rx.sendBufferSize(0) >= 2 * Math.min(asked, rmemMax));
        assertTrue(rx.channel(0).config().isReusePort());
        assertTrue(rx.channel(0).config().isUdpGro());
        assertEquals(0, rx.channel(0).config().getMaxDatagramPayloadSize());
    }

    @Test
    void fwmarkIsSetWhenAllowed() throws Exception {
        try (QueueLoops one = QueueLoops.create(1, "mark-test")) {
            UdpBind b;
            try {
                b = UdpBind.open(one.loops(), InetAddress.getLoopbackAddress(), 0,
                        UdpOptions.defaults().withFwmark(0x5a17), counters, i -> new CollectingSink());
            } catch (io.netty.channel.ChannelException noCap) {
                assertFalse(rx.buffersForced(), "SO_MARK refused although FORCE buffers worked");
                return;
            }
            try {
                assertEquals(0x5a17, b.channel(0).config().getOption(UdpBind.MARK));
            } finally {
                b.close();
            }
        }
    }

    @Test
    void reusePortSpreadsSendersOverTwoLoopsOnOnePort() throws Exception {
        CollectingSink[] sinks = {new CollectingSink(), new CollectingSink()};
        UdpBind two = UdpBind.open(loops.loops(), null, 0, UdpOptions.defaults(), counters, i -> sinks[i]);
        try {
            assertEquals(two.channel(0).localAddress().getPort(), two.channel(1).localAddress().getPort());
            assertNotEquals(0, two.localPort());
            int senders = 32;
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), two.localPort());
            for (int i = 0; i < senders; i++) {
                try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                    byte[] p = {(byte) i, 1, 2, 3};
                    s.send(new DatagramPacket(p, p.length, to));
                }
            }
            CollectingSink.await("32 datagrams", WAIT, () -> sinks[0].count() + sinks[1].count() == senders);
            assertTrue(sinks[0].count() > 0 && sinks[1].count() > 0,
                    "both sockets got traffic: " + sinks[0].count() + "/" + sinks[1].count());
        } finally {
            two.close();
        }
    }

    @Test
    void bindingAnOccupiedPortWithoutReuseFailsWithOneLine() throws Exception {
        try (DatagramSocket squatter = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> UdpBind.open(loops.loops(),
                    InetAddress.getLoopbackAddress(), squatter.getLocalPort(), UdpOptions.defaults(), counters,
                    i -> new CollectingSink()));
            assertTrue(e.getMessage().startsWith("cannot bind UDP"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void controlPlaneSenderCopiesAndSends() throws Exception {
        ChannelDatagramSender ds = new ChannelDatagramSender(tx, counters);
        java.nio.ByteBuffer msg = java.nio.ByteBuffer.allocate(148);
        for (int i = 0; i < 148; i++) {
            msg.put(i, (byte) i);
        }
        msg.position(0);
        ds.send(msg, new InetSocketAddress(InetAddress.getLoopbackAddress(), rx.localPort()));
        assertEquals(0, msg.position(), "position untouched");
        CollectingSink.await("one datagram", WAIT, () -> rxSink.count() == 1);
        assertArrayEquals(msg.array(), rxSink.datagrams().get(0));
    }

    /** Bound but silent until receive(): what arrives meanwhile waits in the socket, nothing is lost. */
    @Test
    void aBindDeliversNothingBeforeReceiveAndLosesNothing() throws Exception {
        UdpBind silent = UdpBind.open(loops.loops().subList(0, 1), InetAddress.getLoopbackAddress(), 0,
                UdpOptions.defaults(), counters, false);
        try (DatagramSocket s = new DatagramSocket()) {
            for (int i = 0; i < 5; i++) {
                s.send(new DatagramPacket(new byte[] {(byte) i}, 1, InetAddress.getLoopbackAddress(),
                        silent.localPort()));
            }
            CollectingSink late = new CollectingSink();
            // Nothing can be delivered yet: there is no sink. The datagrams are read once there is one.
            silent.receive(i -> late, null);
            CollectingSink.await("the 5 datagrams sent before receive()", WAIT, () -> late.count() == 5);
            assertEquals(0, counters.drops(Drop.SINK_ERROR));
            assertThrows(IllegalStateException.class, () -> silent.receive(i -> late, null));
        } finally {
            silent.close();
        }
    }
}
