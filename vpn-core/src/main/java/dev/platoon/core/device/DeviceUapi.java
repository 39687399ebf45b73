package dev.platoon.core.device;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.platoon.core.peer.Peer;
import dev.platoon.config.IpPrefix;
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
 * <p>Like wireguard-go, a new private key applies live: every peer is re-created with its endpoint,
 * keepalive, preshared key and allowed IPs (their sessions end; traffic starts new handshakes with the
 * new key), and a peer whose public key is now our own is removed. A new fwmark re-marks the sockets;
 * a new listen port moves them to new sockets on that port (sessions live on; errno -98 and nothing
 * changed when the port is taken). A preshared key change re-creates that peer (its session restarts).
 */
final class DeviceUapi implements UapiDevice {
    private final Device device;
    /** All zeros while the interface has none (the snapshot then shows no private_key). */
    private byte[] privateKey;
    private int fwmark;
    /** Preshared keys by public key (base64): the peer keeps its PSK inside its handshake state only. */
    private final java.util.Map<String, byte[]> presharedKeys = new java.util.HashMap<>();

    DeviceUapi(Device device, byte[] privateKey, int fwmark, java.util.Map<String, byte[]> presharedKeys) {
        this.device = device;
        this.privateKey = privateKey == null ? new byte[32] : privateKey.clone();
        this.fwmark = fwmark;
        this.presharedKeys.putAll(presharedKeys);
    }

    synchronized boolean hasPrivateKey() {
        return nullIfZero(privateKey) != null;
    }

    private static String id(byte[] publicKey) {
        return java.util.Base64.getEncoder().encodeToString(publicKey);
    }

    private byte[] presharedKey(Peer p) {
        return presharedKeys.get(id(p.publicKey()));
    }

    @Override
    public synchronized UapiSnapshot snapshot() {
        PeerWalks.walked();
        List<UapiSnapshot.Peer> peers = new ArrayList<>();
        java.util.Map<Peer, List<IpPrefix>> routes = device.routes().byValue(); // one walk for all peers
        for (Peer p : device.worker().peers()) {
            var c = p.counters();
            List<IpPrefix> allowed = new ArrayList<>();
            for (IpPrefix prefix : routes.getOrDefault(p, List.of())) {
                allowed.add(prefix);
            }
            peers.add(new UapiSnapshot.Peer(p.publicKey(), presharedKey(p), p.endpoint(),
                    p.timers().persistentKeepalive(), c.lastHandshakeEpochSecond(), c.lastHandshakeNano(),
                    c.rxBytes.sum(), c.txBytes.sum(), allowed));
        }
        return new UapiSnapshot(privateKey.clone(), device.listenPort(), Integer.toUnsignedLong(fwmark), peers);
    }

    /** What {@code platoon show} prints, rendered for the reader who asked (show=1). */
    @Override
    public synchronized String status() {
        return DeviceStatus.render(device, java.time.Instant.now());
    }

    @Override
    public synchronized void apply(UapiSetRequest request) throws UapiException {
        // In wg(8)'s order: the interface's port, fwmark and key, then the peers.
        if (request.listenPort().isPresent() && request.listenPort().getAsInt() != device.listenPort()) {
            try {
                device.changeListenPort(request.listenPort().getAsInt());
            } catch (DeviceException e) {
                throw new UapiException(UapiErrno.PORT_IN_USE, e.getMessage());
            }
        }
        if (request.fwmark().isPresent() && request.fwmark().getAsLong() != Integer.toUnsignedLong(fwmark)) {
            int mark = (int) request.fwmark().getAsLong();
            try {
                device.setFwmark(mark);
            } catch (java.io.IOException e) {
                throw new UapiException(UapiErrno.PORT_IN_USE, e.getMessage());
            }
            fwmark = mark;
        }
        if (request.privateKey() != null && !Arrays.equals(request.privateKey(), privateKey)) {
            replacePrivateKey(request.privateKey());
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
                peer = recreate(peer, nullIfZero(change.presharedKey()));
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
                IpPrefix prefix = ip.prefix();
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

    /**
     * A new static key pair: the worker takes it, then every peer is re-created (its handshake state
     * holds the old key), and the old key pair is wiped. All zeros removes the key: a throwaway pair
     * then, which no peer knows.
     */
    private void replacePrivateKey(byte[] key) {
        byte[] next = nullIfZero(key) == null ? dev.platoon.crypto.Keys.generatePrivateKey() : key;
        var previous = device.replaceIdentity(next);
        byte[] ownPublic = device.identity().publicKey();
        for (Peer p : List.copyOf(device.worker().peers())) {
            if (Arrays.equals(p.publicKey(), ownPublic)) {
                removePeer(p.publicKey()); // wireguard-go: a peer that is now ourselves goes
            } else {
                recreate(p, presharedKey(p));
            }
        }
        previous.close();
        Arrays.fill(privateKey, (byte) 0);
        privateKey = key.clone();
    }

    /** Replaces a peer by a new one with the same settings and this preshared key: its session ends. */
    private Peer recreate(Peer old, byte[] psk) {
        byte[] publicKey = old.publicKey();
        List<IpPrefix> keep = device.routes().entries(old);
        var endpoint = old.endpoint();
        int keepalive = old.timers().persistentKeepalive();
        removePeer(publicKey);
        Peer peer = device.worker().addPeer(publicKey, psk);
        rememberPsk(publicKey, psk);
        if (endpoint != null) {
            peer.updateEndpoint(endpoint);
        }
        peer.setPersistentKeepalive(keepalive);
        for (IpPrefix prefix : keep) {
            device.routes().insert(prefix, peer);
        }
        return peer;
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
