package dev.platoon.core.handshake;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.platoon.core.peer.IndexEntry;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.ProtocolTimings;
import dev.platoon.core.transport.DatagramSender;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.StaticIdentity;
import dev.platoon.crypto.TransportCipher;
import dev.platoon.crypto.TransportKeypair;

/**
 * Two or more control planes in one process, joined by an in-memory "UDP" (like wireguard-go's
 * bind fakes): every datagram sent is queued; {@link #deliverAll()} hands handshake messages to the
 * receiver's worker and plays a minimal data path for type-4 packets (index → keypair → open →
 * replay check → confirm keypair). One fake clock drives everything; workers run with no threads.
 */
final class MemoryNetwork {
    record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
        int type() {
            return bytes[0];
        }
    }

    final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    private final long origin = clock.get();
    final InstantSource wall = () -> Instant.ofEpochSecond(1_700_000_000L).plusNanos(clock.get() - origin);
    private final Map<InetSocketAddress, Node> nodes = new HashMap<>();
    private final ArrayDeque<Datagram> inFlight = new ArrayDeque<>();
    final List<Datagram> sent = new ArrayList<>();
    /** Datagrams for which this returns true are lost. */
    Predicate<Datagram> loss = d -> false;
    /** Runs before each handshake message is handed to its receiver (e.g. an attacker's burst). */
    Consumer<Datagram> beforeHandshakeDelivery = d -> { };

    final class Node {
        final InetSocketAddress address;
        final StaticIdentity identity = StaticIdentity.generate();
        final HandshakeWorker worker;
        final List<byte[]> received = new ArrayList<>();
        private final TransportCipher cipher = new TransportCipher();

        Node(InetSocketAddress address, ProtocolTimings timings) {
            this.address = address;
            DatagramSender sender = (message, to) -> {
                byte[] b = new byte[message.remaining()];
                message.get(message.position(), b);
                Datagram d = new Datagram(address, to, b);
                sent.add(d);
                inFlight.add(d);
            };
            this.worker = new HandshakeWorker(identity, sender, timings, clock::get, wall, 0);
        }

        /** Adds the other node as a peer, optionally knowing its endpoint. */
        Peer connect(Node other, boolean knowEndpoint) {
            Peer p = worker.addPeer(other.identity.publicKey(), null);
            if (knowEndpoint) {
                p.updateEndpoint(other.address);
            }
            return p;
        }

        Peer peerFor(Node other) {
            return worker.peer(other.identity.publicKey());
        }

        /** The data path's receive side, reduced to what the control plane needs to see. */
        void receiveTransport(Datagram d) {
            ByteBuffer b = ByteBuffer.wrap(d.bytes.clone()).order(ByteOrder.LITTLE_ENDIAN);
            IndexEntry e = worker.indexTable().lookup(b.getInt(Protocol.TRANSPORT_RECEIVER));
            long now = clock.get();
            if (e == null || e.isHandshake() || e.expired(now, worker.timings())) {
                return;
            }
            TransportKeypair kp = e.keypair();
            long counter = b.getLong(Protocol.TRANSPORT_COUNTER);
            int n = cipher.open(kp, counter, b, Protocol.TRANSPORT_DATA, d.bytes.length - Protocol.TRANSPORT_DATA);
            if (n < 0 || !kp.acceptCounter(counter)) {
                return;
            }
            Peer peer = e.peer();
            peer.onTransportKeypairUsedForReceive(kp, now);
            peer.updateEndpoint(d.from);
            peer.onAuthenticatedPacketReceived(now, 1, d.bytes.length, n == 0);
            if (n > 0) {
                byte[] plain = new byte[n];
                b.get(Protocol.TRANSPORT_DATA, plain);
                received.add(plain);
            }
        }
    }

    Node node(int lastOctet, ProtocolTimings timings) throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) lastOctet}), 51820);
        Node n = new Node(a, timings);
        nodes.put(a, n);
        return n;
    }

    /** Runs every worker and delivers datagrams until nothing moves. Returns datagrams delivered. */
    int deliverAll() {
        int delivered = 0;
        for (int rounds = 0; rounds < 1000; rounds++) {
            boolean work = false;
            for (Node n : nodes.values()) {
                work |= n.worker.runPending() > 0;
            }
            Datagram d = inFlight.poll();
            if (d != null) {
                work = true;
                Node to = nodes.get(d.to);
                if (to != null && !loss.test(d)) {
                    delivered++;
                    if (d.type() == Protocol.MESSAGE_TRANSPORT) {
                        to.receiveTransport(d);
                    } else {
                        beforeHandshakeDelivery.accept(d);
                        to.worker.submit(ByteBuffer.wrap(d.bytes), d.from);
                    }
                }
            }
            if (!work) {
                return delivered;
            }
        }
        throw new AssertionError("network did not settle");
    }

    /** Advances the clock in 100 ms steps, ticking every node's timers and delivering after each. */
    void run(long nanos) {
        long end = clock.get() + nanos;
        while (clock.get() < end) {
            clock.set(Math.min(end, clock.get() + 100_000_000L));
            for (Node n : nodes.values()) {
                n.worker.tickAll(clock.get());
            }
            deliverAll();
        }
    }

    long count(InetSocketAddress from, int type) {
        return sent.stream().filter(d -> d.from.equals(from) && d.type() == type).count();
    }

    /** A 32-byte IPv4-looking packet (length a multiple of 16, so no padding to strip). */
    static ByteBuffer packet(int tag) {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.put(0, (byte) 0x45).putShort(2, (short) 32).putInt(12, 0x64400001).putInt(16, 0x64400002).putInt(28, tag);
        return b;
    }
}
