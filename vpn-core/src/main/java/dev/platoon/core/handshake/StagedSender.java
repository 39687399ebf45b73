package dev.platoon.core.handshake;

import dev.platoon.core.drop.Drop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.PeerCounters;
import dev.platoon.core.transport.DatagramSender;
import dev.platoon.crypto.TransportHeader;
import dev.platoon.crypto.TransportKeypair;
import dev.platoon.crypto.TransportSealer;

/**
 * Seals a peer's staged packets (and keepalives) with its current keypair and sends them, in order,
 * on the handshake worker's thread: the data path is not involved. One instance per worker thread
 * (it owns a {@link TransportSealer} and a scratch buffer).
 */
final class StagedSender {

    private final DatagramSender sender;
    private final LongSupplier nanoClock;
    private final TransportSealer sealer = new TransportSealer();
    /** The largest message: a 64 KiB packet padded, with its header and tag. */
    private final TransportHeader header = new TransportHeader();
    private final ByteBuffer scratch = ByteBuffer.allocate(65_535 + 48).order(ByteOrder.LITTLE_ENDIAN);
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
            if (p.length > 65_535) {
                peer.counters().drop(Drop.PEER_STAGED_TOO_LARGE);
                continue;
            }
            scratch.put(header.wrap(scratch, 0).packetOffset(), p);
            int length = sealer.seal(kp, scratch, 0, p.length, mtu.getAsInt());
            if (length == TransportSealer.SPENT) { // keypair spent: keep the rest for the next one
                peer.staged().requeueFirst(packets.subList(i, packets.size()));
                peer.requestHandshake(now);
                return;
            }
            if (length < 0) {
                peer.counters().drop(Drop.PEER_KEYPAIR_CLOSED);
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
}
