package dev.platoon.core.peer;

import java.util.Base64;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A device's peers by public key, and the index table that maps the receiver indices we hand out to
 * sessions. Read lock-free from every thread (the data path looks up indices, the timers walk the
 * peers); written by the control plane.
 */
public final class PeerRegistry {
    private final IndexTable<IndexEntry> indexTable = new IndexTable<>();
    private final ConcurrentHashMap<String, Peer> peers = new ConcurrentHashMap<>();

    /** The peer for {@code publicKey}, made by {@code make} when there is none. */
    public Peer add(byte[] publicKey, Function<byte[], Peer> make) {
        return peers.computeIfAbsent(key(publicKey), k -> make.apply(publicKey));
    }

    /** Removes a peer and wipes its keys, or returns null when there is none. */
    public Peer remove(byte[] publicKey) {
        Peer p = peers.remove(key(publicKey));
        if (p != null) {
            p.close();
        }
        return p;
    }

    public Peer get(byte[] publicKey) {
        return peers.get(key(publicKey));
    }

    public Collection<Peer> all() {
        return peers.values();
    }

    public IndexTable<IndexEntry> indexTable() {
        return indexTable;
    }

    /** Wipes every peer's keys. */
    public void closeAll() {
        peers.values().forEach(Peer::close);
    }

    private static String key(byte[] publicKey) {
        return Base64.getEncoder().encodeToString(publicKey);
    }
}
