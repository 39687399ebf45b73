package dev.platoon.core.handshake;

import dev.platoon.core.drop.Drop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.platoon.core.peer.IndexEntry;
import dev.platoon.core.peer.IndexTable;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.transport.DatagramSender;
import dev.platoon.crypto.CookieReplyMessage;
import dev.platoon.crypto.Handshake;
import dev.platoon.crypto.HandshakeException;
import dev.platoon.crypto.InitiationResult;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.ResponseMessage;
import dev.platoon.crypto.StaticIdentity;
import dev.platoon.crypto.TransportKeypair;

/**
 * Handles received handshake messages (types 1–3) on the handshake thread, as wireguard-go's
 * RoutineHandshake after its MAC checks (those ran on the receiving loop, {@link HandshakeAdmission}):
 * the Noise step, the keypair, the endpoint, and our answer. Every refusal is counted by
 * reason in {@link HandshakeCounters}, never thrown.
 */
final class HandshakeMessages {
    private static final long INITIATION_FLOOD_NANOS = Protocol.HANDSHAKE_INITIATION_RATE.toNanos();

    private final StaticIdentity identity;
    private final IndexTable<IndexEntry> indexTable;
    private final Function<byte[], Peer> peerByKey;
    private final DatagramSender sender;
    private final LongSupplier nanoClock;
    private final HandshakeCounters counters;

    HandshakeMessages(StaticIdentity identity, IndexTable<IndexEntry> indexTable, Function<byte[], Peer> peerByKey, DatagramSender sender,
                      LongSupplier nanoClock, HandshakeCounters counters) {
        this.identity = identity;
        this.indexTable = indexTable;
        this.peerByKey = peerByKey;
        this.sender = sender;
        this.nanoClock = nanoClock;
        this.counters = counters;
    }

    /**
     * Returns the peer whose handshake completed as initiator (its staged packets may go), else null.
     * The message was admitted by {@link HandshakeAdmission}: its MACs and the rate limits are checked.
     */
    Peer handle(byte[] msg, InetSocketAddress from) {
        int type = Protocol.messageType(msg, 0);
        switch (type) {
            case Protocol.MESSAGE_COOKIE_REPLY -> {
                cookieReply(msg);
                return null;
            }
            case Protocol.MESSAGE_INITIATION -> {
                initiation(msg, from);
                return null;
            }
            case Protocol.MESSAGE_RESPONSE -> {
                return response(msg, from);
            }
            default -> {
                counters.drop(Drop.HANDSHAKE_BAD_TYPE);
                return null;
            }
        }
    }

    private void cookieReply(byte[] msg) {
        IndexEntry entry = indexTable.lookup(new CookieReplyMessage().wrap(msg, 0).receiver());
        if (entry == null) {
            counters.drop(Drop.UNKNOWN_INDEX);
            return;
        }
        if (entry.peer().cookieGenerator().consumeReply(msg, 0)) {
            counters.cookiesReceived.increment();
        } else {
            counters.drop(Drop.INVALID_COOKIE_REPLY);
        }
    }

    private void initiation(byte[] msg, InetSocketAddress from) {
        long now = nanoClock.getAsLong();
        InitiationResult result;
        try {
            result = Handshake.consumeInitiation(identity, msg, 0);
        } catch (HandshakeException e) {
            counters.refused(e);
            return;
        }
        Peer peer = peerByKey.apply(result.remoteStaticPublic());
        if (peer == null) {
            result.destroy();
            counters.drop(Drop.UNKNOWN_PEER);
            return;
        }
        byte[] out = new byte[Protocol.MESSAGE_RESPONSE_SIZE];
        synchronized (peer.handshakeLock()) {
            if (!peer.admitInitiation(now, INITIATION_FLOOD_NANOS)) {
                result.destroy();
                counters.drop(Drop.INITIATION_FLOOD);
                return;
            }
            Handshake hs = peer.handshake();
            try {
                hs.acceptInitiation(result);
            } catch (HandshakeException e) {
                counters.refused(e);
                return;
            }
            peer.timers().authenticatedPacketReceived(now, false);
            peer.updateEndpoint(from);
            peer.counters().rxBytes.add(msg.length);
            try {
                hs.createResponse(peer.newHandshakeIndex(now), out, 0);
                peer.cookieGenerator().addMacs(out, 0, out.length);
                peer.markHandshakeSent(now);
                TransportKeypair kp = hs.beginSession();
                if (!peer.installKeypair(kp, now)) {
                    return;
                }
            } catch (HandshakeException e) {
                counters.refused(e);
                return;
            }
        }
        sender.send(ByteBuffer.wrap(out), from);
        peer.counters().txBytes.add(out.length);
        peer.timers().anyAuthenticatedPacketSent(now);
        counters.responsesSent.increment();
    }

    private Peer response(byte[] msg, InetSocketAddress from) {
        long now = nanoClock.getAsLong();
        IndexEntry entry = indexTable.lookup(new ResponseMessage().wrap(msg, 0).receiver());
        if (entry == null || !entry.isHandshake()) {
            counters.drop(Drop.UNKNOWN_INDEX);
            return null;
        }
        Peer peer = entry.peer();
        synchronized (peer.handshakeLock()) {
            try {
                peer.handshake().consumeResponse(msg, 0);
                if (!peer.installKeypair(peer.handshake().beginSession(), now)) {
                    return null;
                }
            } catch (HandshakeException e) {
                counters.refused(e);
                return null;
            }
        }
        peer.updateEndpoint(from);
        peer.counters().rxBytes.add(msg.length);
        peer.timers().authenticatedPacketReceived(now, false);
        return peer;
    }
}
