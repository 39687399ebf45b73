package dev.platoon.core.uapi;

import dev.platoon.config.IpPrefix;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An in-memory {@link UapiDevice} with wireguard-go's set semantics, applied copy-then-commit. */
final class FakeUapiDevice implements UapiDevice {

    static final class FakePeer {
        final byte[] publicKey;
        byte[] presharedKey;
        InetSocketAddress endpoint;
        int keepalive;
        long handshakeSec;
        long handshakeNsec;
        long rxBytes;
        long txBytes;
        final LinkedHashSet<IpPrefix> allowedIps = new LinkedHashSet<>();

        FakePeer(byte[] publicKey) {
            this.publicKey = publicKey;
        }

        FakePeer copy() {
            FakePeer c = new FakePeer(publicKey);
            c.presharedKey = presharedKey;
            c.endpoint = endpoint;
            c.keepalive = keepalive;
            c.handshakeSec = handshakeSec;
            c.handshakeNsec = handshakeNsec;
            c.rxBytes = rxBytes;
            c.txBytes = txBytes;
            c.allowedIps.addAll(allowedIps);
            return c;
        }
    }

    private byte[] privateKey;
    private int listenPort;
    private long fwmark;
    private LinkedHashMap<String, FakePeer> peers = new LinkedHashMap<>();
    private final Set<Integer> busyPorts = new HashSet<>();
    private int applied;

    synchronized void setInterface(byte[] privateKey, int listenPort, long fwmark) {
        this.privateKey = privateKey;
        this.listenPort = listenPort;
        this.fwmark = fwmark;
    }

    synchronized FakePeer addPeer(byte[] publicKey) {
        FakePeer p = new FakePeer(publicKey);
        peers.put(UapiValues.keyToHex(publicKey), p);
        return p;
    }

    synchronized void markPortBusy(int port) {
        busyPorts.add(port);
    }

    synchronized int appliedCount() {
        return applied;
    }

    synchronized byte[] privateKey() {
        return privateKey;
    }

    synchronized int listenPort() {
        return listenPort;
    }

    synchronized long fwmark() {
        return fwmark;
    }

    /** A copy of the peer, or null. */
    synchronized FakePeer peer(byte[] publicKey) {
        FakePeer p = peers.get(UapiValues.keyToHex(publicKey));
        return p == null ? null : p.copy();
    }

    synchronized int peerCount() {
        return peers.size();
    }

    @Override
    public synchronized UapiSnapshot snapshot() {
        List<UapiSnapshot.Peer> out = new ArrayList<>();
        for (FakePeer p : peers.values()) {
            out.add(new UapiSnapshot.Peer(p.publicKey, p.presharedKey, p.endpoint, p.keepalive, p.handshakeSec,
                    p.handshakeNsec, p.rxBytes, p.txBytes, new ArrayList<>(p.allowedIps)));
        }
        return new UapiSnapshot(privateKey, listenPort, fwmark, out);
    }

    @Override
    public synchronized void apply(UapiSetRequest r) throws UapiException {
        if (r.listenPort().isPresent() && busyPorts.contains(r.listenPort().getAsInt())) {
            throw new UapiException(UapiErrno.PORT_IN_USE, "port " + r.listenPort().getAsInt() + " is in use");
        }
        byte[] newPrivate = privateKey;
        if (r.privateKey() != null) {
            newPrivate = r.removesPrivateKey() ? null : r.privateKey();
        }
        LinkedHashMap<String, FakePeer> next = new LinkedHashMap<>();
        if (!r.replacePeers()) {
            for (Map.Entry<String, FakePeer> e : peers.entrySet()) {
                next.put(e.getKey(), e.getValue().copy());
            }
        }
        for (UapiSetRequest.PeerChange c : r.peers()) {
            String id = UapiValues.keyToHex(c.publicKey());
            if (c.remove()) {
                next.remove(id);
                continue;
            }
            FakePeer p = next.get(id);
            if (p == null) {
                if (c.updateOnly()) {
                    continue;
                }
                p = new FakePeer(c.publicKey());
                next.put(id, p);
            }
            if (c.presharedKey() != null) {
                p.presharedKey = UapiValues.isZero(c.presharedKey()) ? null : c.presharedKey();
            }
            if (c.endpoint() != null) {
                p.endpoint = c.endpoint();
            }
            if (c.persistentKeepaliveInterval().isPresent()) {
                p.keepalive = c.persistentKeepaliveInterval().getAsInt();
            }
            if (c.replaceAllowedIps()) {
                p.allowedIps.clear();
            }
            for (UapiSetRequest.AllowedIpChange a : c.allowedIps()) {
                if (a.remove()) {
                    p.allowedIps.remove(a.prefix());
                } else {
                    for (FakePeer other : next.values()) { // cryptokey routing: a prefix has one owner
                        other.allowedIps.remove(a.prefix());
                    }
                    p.allowedIps.add(a.prefix());
                }
            }
        }
        privateKey = newPrivate;
        r.listenPort().ifPresent(v -> listenPort = v);
        r.fwmark().ifPresent(v -> fwmark = v);
        peers = next;
        applied++;
    }
}
