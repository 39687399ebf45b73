package dev.platoon.core.datapath;

import dev.platoon.core.drop.Drop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.platoon.core.handshake.HandshakeWorker;
import dev.platoon.core.peer.IndexEntry;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.ProtocolTimings;
import dev.platoon.core.routing.AllowedIps;
import dev.platoon.config.IpPrefix;
import dev.platoon.crypto.Keys;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.StaticIdentity;
import dev.platoon.crypto.TransportCipher;
import dev.platoon.crypto.TransportKeypair;

/**
 * The receive path in memory: sealed transport packets handed to {@link InboundPath} as the UDP
 * channel would, each way a packet can be refused counted under its own reason.
 */
class InboundPathTest {
    private static final InetSocketAddress FROM = new InetSocketAddress("192.0.2.2", 51820);

    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    private final HandshakeWorker worker = new HandshakeWorker(new StaticIdentity(Keys.generatePrivateKey()),
            (m, to) -> { }, ProtocolTimings.DEFAULT, clock::get, java.time.InstantSource.system(), 0);
    private final Peer peer = worker.addPeer(Keys.publicKey(Keys.generatePrivateKey()), null);
    private final AllowedIps<Peer> routes = new AllowedIps<>();
    private final DataPathCounters counters = new DataPathCounters();
    private final List<Integer> written = new ArrayList<>();
    private final InboundPath path;
    // The peer seals with our receive key: its send key is ours to open with.
    private final byte[] key = new byte[32];
    private final TransportKeypair ours;
    private final TransportKeypair theirs;
    private final int ourIndex;

    InboundPathTest() {
        key[0] = 7;
        ours = new TransportKeypair(new byte[32], key, 0, 1, false);
        ourIndex = worker.indexTable().allocate(new IndexEntry(peer, ours, clock.get()));
        theirs = new TransportKeypair(key, new byte[32], 1, ourIndex, true);
        routes.insert(IpPrefix.parse("100.64.0.2/32"), peer);
        path = new InboundPath(worker.indexTable(), routes, new HandshakeInbound(worker, counters),
                ProtocolTimings.DEFAULT, counters, clock::get, (buf, off, len) -> written.add(len), true, true);
    }

    @AfterEach
    void close() {
        worker.close();
    }

    @Test
    void aValidPacketReachesTheTun() {
        receive(sealed(5, "100.64.0.2"));
        assertEquals(List.of(12 + 28), written, "one frame: virtio header + the 28-byte IPv4 packet");
        assertEquals(0, totalDrops());
    }

    @Test
    void aCounterAtTheLimitIsNamedForWhatItIs() {
        receive(sealed(Protocol.REJECT_AFTER_MESSAGES, "100.64.0.2"));
        receive(sealed(-1L, "100.64.0.2"));
        assertEquals(2, counters.drops(Drop.COUNTER_LIMIT));
        assertEquals(0, counters.drops(Drop.REPLAYED));
        receive(sealed(Protocol.REJECT_AFTER_MESSAGES - 1, "100.64.0.2"));
        assertEquals(1, written.size(), "the last counter below the limit is still accepted");
    }

    @Test
    void aRepeatedCounterIsAReplay() {
        receive(sealed(9, "100.64.0.2"));
        receive(sealed(9, "100.64.0.2"));
        assertEquals(1, counters.drops(Drop.REPLAYED));
        assertEquals(0, counters.drops(Drop.COUNTER_LIMIT));
    }

    @Test
    void aForgedTagAnUnknownIndexAndASpoofedSourceEachHaveTheirReason() {
        ByteBuf forged = sealed(3, "100.64.0.2");
        forged.setByte(forged.writerIndex() - 1, forged.getByte(forged.writerIndex() - 1) ^ 1);
        receive(forged);
        ByteBuf unknown = sealed(4, "100.64.0.2");
        unknown.setIntLE(4, ourIndex + 1);
        receive(unknown);
        receive(sealed(6, "100.64.0.9"));
        assertEquals(1, counters.drops(Drop.DECRYPT_FAILED));
        assertEquals(1, counters.drops(Drop.UNKNOWN_RECEIVER));
        assertEquals(1, counters.drops(Drop.SOURCE_NOT_ALLOWED));
        assertEquals(List.of(), written);
    }

    private void receive(ByteBuf datagram) {
        try {
            path.datagram(datagram, FROM);
            path.batchEnd();
        } finally {
            datagram.release();
        }
    }

    private long totalDrops() {
        long n = 0;
        for (Drop d : Drop.values()) {
            n += counters.drops(d);
        }
        return n;
    }

    /** A transport message from the peer carrying a 28-byte IPv4/UDP packet from {@code source}. */
    private ByteBuf sealed(long counter, String source) {
        int plainLength = 32; // 28 bytes of IP padded to 16
        ByteBuffer b = ByteBuffer.allocateDirect(Protocol.MESSAGE_TRANSPORT_HEADER_SIZE + plainLength + 16)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, Protocol.MESSAGE_TRANSPORT).putInt(4, ourIndex).putLong(8, counter);
        int ip = Protocol.MESSAGE_TRANSPORT_HEADER_SIZE;
        b.order(ByteOrder.BIG_ENDIAN);
        b.put(ip, (byte) 0x45).putShort(ip + 2, (short) 28).put(ip + 8, (byte) 64).put(ip + 9, (byte) 17);
        b.put(ip + 12, address(source)).put(ip + 16, address("100.64.0.1"));
        b.putShort(ip + 20, (short) 1000).putShort(ip + 22, (short) 2000).putShort(ip + 24, (short) 8);
        int n = new TransportCipher().seal(theirs, counter, b, ip, plainLength);
        assertEquals(plainLength + 16, n, "sealed");
        return Unpooled.wrappedBuffer(b);
    }

    private static byte[] address(String dotted) {
        String[] p = dotted.split("\\.");
        return new byte[] {(byte) Integer.parseInt(p[0]), (byte) Integer.parseInt(p[1]),
                (byte) Integer.parseInt(p[2]), (byte) Integer.parseInt(p[3])};
    }
}
