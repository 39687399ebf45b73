package dev.platoon.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A whole configuration file: one {@code [Interface]} and its peers, in file order. */
public record WgConfig(InterfaceConfig iface, List<PeerConfig> peers) {

    public WgConfig {
        Objects.requireNonNull(iface, "iface");
        peers = List.copyOf(peers);
        Set<WgKey> seen = new HashSet<>();
        for (PeerConfig p : peers) {
            if (!seen.add(p.publicKey())) {
                throw new IllegalArgumentException("duplicate peer " + p.publicKey().toBase64());
            }
        }
    }

    /** The wg(8) part only (wg-quick strip), as {@code wg syncconf} / {@code wg setconf} take it. */
    public WgConfig stripped() {
        return new WgConfig(iface.stripped(), peers);
    }
}
