package dev.platoon.core.device;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.platoon.core.peer.Peer;
import dev.platoon.core.routing.IpPrefix;
import dev.platoon.core.uapi.UapiDevice;
import dev.platoon.core.uapi.UapiErrno;
import dev.platoon.core.uapi.UapiException;
import dev.platoon.core.uapi.UapiSetRequest;
import dev.platoon.core.uapi.UapiSnapshot;

/**
 * The device as the control socket sees it: {@code get} reads peers, endpoints, handshakes and
 * transfer; {@code set} adds, changes and removes peers while traffic flows. Calls are serialised by
 * the UAPI server; this class also takes the device's configuration lock so that a snapshot never
 * sees half of a set.
 *
 * <p>What a running platoon refuses (errno -22, nothing applied): a different private key or listen
 * port, or a different fwmark — each needs new sockets or new handshakes for every peer; restart the
 * interface instead. A preshared key change re-creates that peer (its session restarts).
 */
final class DeviceUapi implements UapiDevice {
    private final Device device;
    private final byte[] privateKey;
    private final int fwmark;
    /** Preshared keys by public key (base64): the peer keeps its PSK inside its handshake state only. */
    private final java.util.Map<String, byte[]> presharedKeys = new java.util.HashMap<>();

    DeviceUapi(Device device, byte[] privateKey, int fwmark, java.util.Map<String, byte[]> presharedKeys) {
        this.device = device;
        this.privateKey = privateKey.clone();
        this.fwmark = fwmark;
        this.presharedKeys.putAll(presharedKeys);
    }

    private static String id(byte[] publicKey) {
        return java.util.Base64.getEncoder().encodeToString(publicKey);
    }

    private byte[] presharedKey(Peer p) {
        return presharedKeys.get(id(p.publicKey()));
    }

    @Override
    public synchronized UapiSnapshot snapshot() {
        List<UapiSnapshot.Peer> peers = new ArrayList<>();
        for (Peer p : device.worker().peers()) {
            var c = p.counters();
            List<dev.platoon.core.uapi.IpPrefix> allowed = new ArrayList<>();
            for (IpPrefix prefix : device.routes().entries(p)) {
                allowed.add(new dev.platoon.core.uapi.IpPrefix(prefix.address(), prefix.bits()));
            }
            peers.add(new UapiSnapshot.Peer(p.publicKey(), presharedKey(p), p.endpoint(),
                    p.timers().persistentKeepalive(), c.lastHandshakeEpochSecond(), c.lastHandshakeNano(),
                    c.rxBytes.sum(), c.txBytes.sum(), allowed));
        }
        return new UapiSnapshot(privateKey.clone(), device.listenPort(), Integer.toUnsignedLong(fwmark), peers);
    }

    @Override
    public synchronized void apply(UapiSetRequest request) throws UapiException {
        // Validate everything the device cannot change before changing anything.
        if (request.privateKey() != null && !Arrays.equals(request.privateKey(), privateKey)) {
            throw new UapiException(UapiErrno.INVALID,
                    "changing the private key of a running interface is not supported; restart it");
        }
        if (request.listenPort().isPresent() && request.listenPort().getAsInt() != device.listenPort()) {
            throw new UapiException(UapiErrno.INVALID,
                    "changing the listen port of a running interface is not supported; restart it");
        }
        if (request.fwmark().isPresent() && request.fwmark().getAsLong() != Integer.toUnsignedLong(fwmark)) {
            throw new UapiException(UapiErrno.INVALID,
                    "changing the fwmark of a running interface is not supported; restart it");
        }
        byte[] ownPublic = device.identity().publicKey();
        if (request.replacePeers()) {
            for (Peer p : List.copyOf(device.worker().peers())) {
                removePeer(p.publicKey());
            }
        }
        for (UapiSetRequest.PeerChange change : request.peers()) {
            if (Arrays.equals(change.publicKey(), ownPublic)) {
                continue; // wireguard-go ignores a peer that is ourselves
            }
            if (change.remove()) {
                removePeer(change.publicKey());
                continue;
            }
            Peer peer = device.worker().peer(change.publicKey());
            if (peer == null && change.updateOnly()) {
                continue;
            }
            if (peer != null && change.presharedKey() != null
                    && !Arrays.equals(nullIfZero(change.presharedKey()), presharedKey(peer))) {
                // The PSK is part of the handshake state: a new PSK means a new peer object.
                List<IpPrefix> keep = device.routes().entries(peer);
                var endpoint = peer.endpoint();
                int keepalive = peer.timers().persistentKeepalive();
                removePeer(change.publicKey());
                peer = device.worker().addPeer(change.publicKey(), nullIfZero(change.presharedKey()));
                rememberPsk(change.publicKey(), nullIfZero(change.presharedKey()));
                peer.updateEndpoint(endpoint);
                peer.setPersistentKeepalive(keepalive);
                for (IpPrefix prefix : keep) {
                    device.routes().insert(prefix, peer);
                }
            }
            if (peer == null) {
                byte[] psk = change.presharedKey() == null ? null : nullIfZero(change.presharedKey());
                peer = device.worker().addPeer(change.publicKey(), psk);
                rememberPsk(change.publicKey(), psk);
            }
            if (change.endpoint() != null) {
                peer.updateEndpoint(change.endpoint());
            }
            if (change.persistentKeepaliveInterval().isPresent()) {
                peer.setPersistentKeepalive(change.persistentKeepaliveInterval().getAsInt());
            }
            if (change.replaceAllowedIps()) {
                device.routes().removeAll(peer);
            }
            for (UapiSetRequest.AllowedIpChange ip : change.allowedIps()) {
                IpPrefix prefix = IpPrefix.of(ip.prefix().address(), ip.prefix().bits());
                if (ip.remove()) {
                    if (device.routes().lookup(prefix.address().getAddress()) == peer) {
                        device.routes().remove(prefix);
                    }
                } else {
                    device.routes().insert(prefix, peer);
                }
            }
        }
    }

    private void rememberPsk(byte[] publicKey, byte[] psk) {
        if (psk == null) {
            presharedKeys.remove(id(publicKey));
        } else {
            presharedKeys.put(id(publicKey), psk.clone());
        }
    }

    private void removePeer(byte[] publicKey) {
        presharedKeys.remove(id(publicKey));
        Peer removed = device.worker().removePeer(publicKey);
        if (removed != null) {
            device.routes().removeAll(removed);
        }
    }

    private static byte[] nullIfZero(byte[] key) {
        for (byte b : key) {
            if (b != 0) {
                return key;
            }
        }
        return null;
    }
}
