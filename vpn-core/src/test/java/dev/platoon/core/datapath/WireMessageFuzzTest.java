package dev.platoon.core.datapath;

import dev.platoon.core.drop.Drop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import dev.platoon.core.handshake.HandshakeCounters;
import dev.platoon.core.handshake.HandshakeWorker;
import dev.platoon.core.peer.IndexEntry;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.ProtocolTimings;
import dev.platoon.core.routing.AllowedIps;
import dev.platoon.config.IpPrefix;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.StaticIdentity;
import dev.platoon.crypto.TransportCipher;
import dev.platoon.crypto.TransportKeypair;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Coverage-guided fuzz target for the inbound path from one received datagram: {@link InboundPath}
 * and, for types 1–3, the handshake worker behind it. Each execution builds a fresh device ("us")
 * and a peer ("alice") in memory, then sends us either raw bytes or a genuine message of one of the
 * four types — an initiation from alice, her response or cookie reply to our initiation, or a
 * transport packet sealed with a known keypair around a plaintext from the input — after the
 * input's mutations (byte flips, truncation, extension, MAC1 recomputed or not).
 *
 * <p>Oracles beyond "no exception": every datagram has exactly one outcome, a drop under a named
 * reason (data path or handshake counters) or one visible effect (a frame to the tun, a keepalive
 * received, a response sent, a cookie taken, a handshake completed); an unmutated genuine message
 * is accepted; a delivered frame is the inner packet that was sealed. Handshake messages carry
 * fresh ephemeral keys, so a crasher that depends on their bytes replays as a different message.
 */
class WireMessageFuzzTest {
    private static final Random KEYS = new Random(0x5eedL);
    private static final StaticIdentity US = new StaticIdentity(key(KEYS));
    private static final StaticIdentity ALICE = new StaticIdentity(key(KEYS));
    private static final byte[] TRANSPORT_KEY = key(KEYS);
    private static final InetSocketAddress US_ADDR = new InetSocketAddress("192.0.2.1", 51820);
    private static final InetSocketAddress ALICE_ADDR = new InetSocketAddress("192.0.2.2", 51820);
    private static final byte[] ALICE_V4 = {100, 64, 0, 2};

    private static byte[] key(Random r) {
        byte[] k = new byte[32];
        r.nextBytes(k);
        return k;
    }

    /** One device and one peer, fresh for every execution. */
    private static final class Bed {
        final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
        final List<byte[]> usSent = new ArrayList<>();
        final List<byte[]> aliceSent = new ArrayList<>();
        final List<byte[]> frames = new ArrayList<>();
        final HandshakeWorker us;
        final HandshakeWorker alice;
        final Peer aliceAtUs;
        final Peer usAtAlice;
        final DataPathCounters counters = new DataPathCounters();
        final InboundPath path;
        final TransportKeypair theirs;

        Bed() {
            // The senders and clocks hold their own objects, not the bed (and its direct buffers).
            List<byte[]> toAlice = usSent;
            List<byte[]> toUs = aliceSent;
            AtomicLong time = clock;
            InstantSource wall = () -> Instant.ofEpochSecond(1_700_000_000L).plusNanos(time.get());
            us = new HandshakeWorker(US, (m, to) -> toAlice.add(bytes(m)), ProtocolTimings.DEFAULT, clock::get, wall, 0);
            alice = new HandshakeWorker(ALICE, (m, to) -> toUs.add(bytes(m)), ProtocolTimings.DEFAULT, clock::get, wall, 0);
            aliceAtUs = us.addPeer(ALICE.publicKey(), null);
            usAtAlice = alice.addPeer(US.publicKey(), null);
            aliceAtUs.updateEndpoint(ALICE_ADDR);
            usAtAlice.updateEndpoint(US_ADDR);
            AllowedIps<Peer> routes = new AllowedIps<>();
            routes.insert(IpPrefix.parse("100.64.0.2/32"), aliceAtUs);
            routes.insert(IpPrefix.parse("fd00:64::2/128"), aliceAtUs);
            path = new InboundPath(us.indexTable(), routes, new HandshakeInbound(us, counters), ProtocolTimings.DEFAULT,
                    counters, clock::get, (buf, off, len) -> {
                        byte[] f = new byte[len];
                        buf.get(off, f);
                        frames.add(f);
                    }, true, true);
            TransportKeypair ours = new TransportKeypair(new byte[32], TRANSPORT_KEY, 0, 1, false);
            int index = us.indexTable().allocate(new IndexEntry(aliceAtUs, ours, clock.get()));
            theirs = new TransportKeypair(TRANSPORT_KEY, new byte[32], 1, index, true);
        }

        /** Everything that counts as the outcome of one datagram, summed. */
        long outcomes() {
            long n = frames.size() + counters.keepalivesReceived.sum();
            for (Drop d : Drop.values()) {
                n += counters.drops(d);
            }
            HandshakeCounters h = us.counters();
            for (Drop d : Drop.countedIn(Drop.Where.HANDSHAKE)) {
                n += h.drops(d);
            }
            n += h.responsesSent.sum() + h.cookieRepliesSent.sum() + h.cookiesReceived.sum();
            // A completed handshake as initiator is answered with a keepalive (type 4).
            n += usSent.stream().filter(m -> m[0] == Protocol.MESSAGE_TRANSPORT).count();
            return n;
        }
    }

    /**
     * Each execution runs on a virtual thread of its own: a worker run with no threads keeps its
     * per-thread StagedSender, and through it the whole worker, in the thread that ran its tasks.
     * On the fuzzing thread that kept every execution's device alive (1 GiB after ~250,000).
     */
    @FuzzTest(maxDuration = "10s")
    void datagram(FuzzedDataProvider data) throws Throwable {
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofVirtual().start(() -> {
            Bed bed = new Bed();
            try {
                run(bed, data);
            } catch (Throwable e) {
                failure[0] = e;
            } finally {
                bed.us.close();
                bed.alice.close();
            }
        });
        t.join();
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private static void run(Bed bed, FuzzedDataProvider data) {
        int kind = data.consumeInt(0, 4);
        byte[] inner = null;
        byte[] msg = switch (kind) {
            case 1 -> initiation(bed);
            case 2 -> answer(bed, false);
            case 3 -> answer(bed, true);
            case 4 -> {
                inner = innerPacket(data);
                yield transport(bed, inner, data.consumeLong());
            }
            default -> null;
        };
        boolean mutated = msg == null;
        if (msg == null) {
            msg = data.consumeBytes(data.consumeInt(0, 2000));
        } else {
            int flips = data.consumeInt(0, 3);
            for (int i = 0; i < flips; i++) {
                msg[data.consumeInt(0, msg.length - 1)] ^= (byte) data.consumeInt(1, 255);
            }
            mutated = flips > 0;
            if (data.consumeBoolean()) {
                int len = data.consumeInt(0, msg.length + 64);
                mutated |= len != msg.length;
                msg = Arrays.copyOf(msg, len);
            }
            if (kind <= 2 && msg.length == expectedSize(kind) && data.consumeBoolean()) {
                bed.usAtAlice.cookieGenerator().addMacs(msg, 0, msg.length); // past MAC1 with the damage
            }
        }
        deliver(bed, kind, msg, data.consumeInt(0, 3) * 16, mutated, inner);
    }

    /** The genuine message of each type, unmutated, is accepted: the harness reaches every path. */
    @Test
    void genuineMessagesOfEveryTypeAreAccepted() {
        for (int kind = 1; kind <= 4; kind++) {
            Bed bed = new Bed();
            try {
                byte[] inner = {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 100, 64, 0, 2, 100, 64, 0, 1};
                byte[] msg = switch (kind) {
                    case 1 -> initiation(bed);
                    case 2 -> answer(bed, false);
                    case 3 -> answer(bed, true);
                    default -> transport(bed, inner, 7);
                };
                long before = bed.outcomes();
                deliver(bed, kind, msg, 16, false, kind == 4 ? inner : null);
                assertEquals(before + 1, acceptedOutcomes(bed), "type " + kind + " accepted");
            } finally {
                bed.us.close();
                bed.alice.close();
            }
        }
    }

    private static void deliver(Bed bed, int kind, byte[] msg, int offset, boolean mutated, byte[] inner) {
        long before = bed.outcomes();
        ByteBuf datagram = inBuffer(msg, offset);
        try {
            bed.path.datagram(datagram, ALICE_ADDR);
            bed.path.batchEnd();
        } finally {
            datagram.release();
        }
        bed.us.runPending();
        assertEquals(before + 1, bed.outcomes(), "exactly one outcome for one datagram");
        if (!mutated && kind > 0) {
            assertEquals(before + 1, acceptedOutcomes(bed), "a genuine message of type " + kind + " is accepted");
        }
        if (!mutated && kind == 4 && inner != null && bed.frames.size() == 1) {
            byte[] f = bed.frames.getFirst();
            assertEquals(inner.length, f.length - 12, "the frame is the inner packet");
            assertEquals(Arrays.toString(inner), Arrays.toString(Arrays.copyOfRange(f, 12, f.length)));
        }
    }

    /** The outcome count without the drops: what a genuine message must have moved. */
    private static long acceptedOutcomes(Bed bed) {
        long drops = 0;
        for (Drop d : Drop.values()) {
            drops += bed.counters.drops(d);
        }
        for (Drop d : Drop.countedIn(Drop.Where.HANDSHAKE)) {
            drops += bed.us.counters().drops(d);
        }
        // A genuine transport packet whose plaintext is not IP from alice, or whose counter is past
        // the limit, is dropped by design.
        drops -= bed.counters.drops(Drop.MALFORMED_INNER)
                + bed.counters.drops(Drop.SOURCE_NOT_ALLOWED)
                + bed.counters.drops(Drop.COUNTER_LIMIT);
        return bed.outcomes() - drops;
    }

    private static int expectedSize(int kind) {
        return kind == 1 ? Protocol.MESSAGE_INITIATION_SIZE : Protocol.MESSAGE_RESPONSE_SIZE;
    }

    private static byte[] initiation(Bed bed) {
        bed.alice.requestInitiation(bed.usAtAlice);
        bed.alice.runPending();
        return bed.aliceSent.getLast().clone();
    }

    /** Alice's answer to our initiation: her response, or under load a cookie reply. */
    private static byte[] answer(Bed bed, boolean cookie) {
        bed.us.requestInitiation(bed.aliceAtUs);
        bed.us.runPending();
        byte[] init = bed.usSent.getLast();
        bed.alice.forceUnderLoad(cookie);
        bed.alice.submit(ByteBuffer.wrap(init), US_ADDR);
        bed.alice.runPending();
        return bed.aliceSent.getLast().clone();
    }

    /** A plaintext from the input, often behind a valid IPv4 header from alice's address. */
    private static byte[] innerPacket(FuzzedDataProvider data) {
        boolean ipv4 = data.consumeBoolean();
        byte[] p = data.consumeBytes(data.consumeInt(0, 1400));
        if (ipv4 && p.length >= 20) {
            ByteBuffer b = ByteBuffer.wrap(p);
            b.put(0, (byte) 0x45).putShort(2, (short) p.length).put(8, (byte) 64).put(12, ALICE_V4);
        }
        return p;
    }

    private static byte[] transport(Bed bed, byte[] inner, long counter) {
        int padded = (inner.length + 15) & ~15;
        ByteBuffer b = ByteBuffer.allocate(Protocol.MESSAGE_TRANSPORT_HEADER_SIZE + padded + 16)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, Protocol.MESSAGE_TRANSPORT).putInt(4, bed.theirs.remoteIndex()).putLong(8, counter);
        b.put(Protocol.MESSAGE_TRANSPORT_HEADER_SIZE, inner);
        int n = new TransportCipher().seal(bed.theirs, counter, b, Protocol.MESSAGE_TRANSPORT_HEADER_SIZE, padded);
        assertEquals(padded + 16, n, "sealed");
        return b.array();
    }

    /** The datagram in a direct buffer, at an offset inside a larger one (as a GRO batch slice). */
    private static ByteBuf inBuffer(byte[] msg, int offset) {
        ByteBuf whole = Unpooled.directBuffer(offset + msg.length + 16);
        whole.writeZero(offset).writeBytes(msg).writeZero(16);
        if (offset == 0) {
            return whole.writerIndex(msg.length);
        }
        ByteBuf slice = whole.retainedSlice(offset, msg.length);
        whole.release();
        return slice;
    }

    private static byte[] bytes(ByteBuffer m) {
        byte[] b = new byte[m.remaining()];
        m.get(m.position(), b);
        return b;
    }
}
