package dev.platoon.core.handshake;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.PeerCounters;
import dev.platoon.core.transport.DatagramSender;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.TransportCipher;
import dev.platoon.crypto.TransportKeypair;

/**
 * Seals a peer's staged packets (and keepalives) with its current keypair and sends them, in order,
 * on the handshake worker's thread: the data path is not involved. One instance per worker thread
 * (it owns a {@link TransportCipher} and a scratch buffer).
 */
final class StagedSender {
    static final String DROP_KEYPAIR_CLOSED = "keypair_closed";

    private final DatagramSender sender;
    private final LongSupplier nanoClock;
    private final TransportCipher cipher = new TransportCipher();
    private final ByteBuffer scratch = ByteBuffer.allocate(65_535).order(ByteOrder.LITTLE_ENDIAN);
    private final IntSupplier mtu;

    StagedSender(DatagramSender sender, LongSupplier nanoClock, IntSupplier mtu) {
        this.sender = sender;
        this.nanoClock = nanoClock;
        this.mtu = mtu;
    }

    /**
     * Sends what is staged for {@code peer}; with {@code keepaliveIfEmpty} an empty packet when nothing
     * is. Without a usable keypair the packets stay staged and a handshake is requested.
     */
    void send(Peer peer, boolean keepaliveIfEmpty) {
        if (keepaliveIfEmpty) {
            peer.staged().addKeepaliveIfEmpty();
        }
        if (peer.staged().isEmpty()) {
            return;
        }
        long now = nanoClock.getAsLong();
        TransportKeypair kp = peer.sendKeypair(now);
        InetSocketAddress to = peer.endpoint();
        if (kp == null || to == null) {
            // No endpoint: nothing can be sent, not even an initiation; the packets wait (bounded)
            // until the peer contacts us or the configuration gives one.
            peer.requestHandshake(now);
            return;
        }
        List<byte[]> packets = peer.staged().drain();
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            int max = scratch.capacity() - Protocol.MESSAGE_TRANSPORT_HEADER_SIZE - Protocol.TAG_LENGTH;
            if (p.length > max) {
                peer.counters().drop(PeerCounters.DROP_STAGED_TOO_LARGE);
                continue;
            }
            long counter = kp.nextSendCounter();
            if (counter < 0) { // keypair spent: keep the rest for the next one
                peer.staged().requeueFirst(packets.subList(i, packets.size()));
                peer.requestHandshake(now);
                return;
            }
            int length = seal(kp, counter, p, Math.min(Protocol.paddedLength(p.length, mtu.getAsInt()), max));
            if (length < 0) {
                peer.counters().drop(DROP_KEYPAIR_CLOSED);
                continue;
            }
            sender.send(scratch.duplicate().position(0).limit(length), to);
            if (p.length > 0) {
                peer.onDataSent(now, 1, length);
            } else {
                peer.counters().txPackets.increment();
                peer.counters().txBytes.add(length);
                peer.timers().anyAuthenticatedPacketSent(now);
            }
        }
    }

    /** Writes header, plaintext and zero padding to the scratch buffer and seals in place. */
    private int seal(TransportKeypair kp, long counter, byte[] plain, int padded) {
        ByteBuffer b = scratch;
        b.clear();
        b.putInt(0, Protocol.MESSAGE_TRANSPORT); // type 4, three zero reserved bytes (little endian)
        b.putInt(Protocol.TRANSPORT_RECEIVER, kp.remoteIndex());
        b.putLong(Protocol.TRANSPORT_COUNTER, counter);
        b.put(Protocol.TRANSPORT_DATA, plain);
        for (int j = Protocol.TRANSPORT_DATA + plain.length; j < Protocol.TRANSPORT_DATA + padded; j++) {
            b.put(j, (byte) 0);
        }
        int sealed = cipher.seal(kp, counter, b, Protocol.TRANSPORT_DATA, padded);
        return sealed < 0 ? -1 : Protocol.TRANSPORT_DATA + sealed;
    }
}
