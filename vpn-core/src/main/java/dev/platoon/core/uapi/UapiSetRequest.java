package dev.platoon.core.uapi;

import dev.platoon.config.IpPrefix;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A fully parsed and validated {@code set=1} request: plain data, handed to {@link UapiDevice#apply}.
 * Everything in it already passed syntax checks, so the device only has to decide whether it can
 * carry it out (e.g. bind the port) and then apply all of it or nothing.
 *
 * <p>Semantics follow wireguard-go's {@code IpcSetOperation}, in this order: interface changes
 * (private key, listen port, fwmark; {@code replacePeers} removes all existing peers first), then
 * {@link #peers()} in the order given — the same public key may appear more than once, each entry
 * acting on the result of the previous one. A peer whose public key equals the interface's own
 * public key (after the private key change) is ignored, as wireguard-go does.
 *
 * @param privateKey   new private key, {@code null} = unchanged, all zeros = remove the key
 * @param listenPort   new listen port 0..65535 (0 = pick any / none), empty = unchanged
 * @param fwmark       new fwmark 0..2^32-1 (0 = off), empty = unchanged
 * @param replacePeers remove every existing peer before the peer changes
 * @param peers        per-peer changes, in request order
 */
public record UapiSetRequest(byte[] privateKey, OptionalInt listenPort, OptionalLong fwmark, boolean replacePeers,
                             List<PeerChange> peers) {

    public UapiSetRequest {
        if (privateKey != null && privateKey.length != UapiValues.KEY_LEN) {
            throw new IllegalArgumentException("private key must be 32 bytes");
        }
        Objects.requireNonNull(listenPort, "listenPort");
        Objects.requireNonNull(fwmark, "fwmark");
        peers = List.copyOf(peers);
    }

    /** True when the request sets a private key of all zeros, i.e. removes it. */
    public boolean removesPrivateKey() {
        return privateKey != null && UapiValues.isZero(privateKey);
    }

    @Override
    public String toString() {
        return "UapiSetRequest[privateKey=" + (privateKey == null ? "unchanged" : removesPrivateKey() ? "remove" : "(hidden)")
                + ", listenPort=" + listenPort + ", fwmark=" + fwmark + ", replacePeers=" + replacePeers
                + ", peers=" + peers + "]";
    }

    /**
     * Changes to one peer (one {@code public_key=} block).
     *
     * @param publicKey                   32 bytes; selects the peer, creating it unless {@code updateOnly}
     * @param remove                      remove the peer; all other fields are then empty
     * @param updateOnly                  only change the peer if it already exists; never create it
     * @param presharedKey                {@code null} = unchanged, all zeros = remove
     * @param endpoint                    {@code null} = unchanged
     * @param persistentKeepaliveInterval seconds 0..65535 (0 = off), empty = unchanged
     * @param replaceAllowedIps           drop all of the peer's allowed IPs before adding {@code allowedIps}
     * @param allowedIps                  allowed-IP additions (and removals, newer wg's {@code -prefix}), in order
     */
    public record PeerChange(byte[] publicKey, boolean remove, boolean updateOnly, byte[] presharedKey,
                             InetSocketAddress endpoint, OptionalInt persistentKeepaliveInterval,
                             boolean replaceAllowedIps, List<AllowedIpChange> allowedIps) {

        public PeerChange {
            Objects.requireNonNull(publicKey, "publicKey");
            if (publicKey.length != UapiValues.KEY_LEN
                    || (presharedKey != null && presharedKey.length != UapiValues.KEY_LEN)) {
                throw new IllegalArgumentException("keys must be 32 bytes");
            }
            Objects.requireNonNull(persistentKeepaliveInterval, "persistentKeepaliveInterval");
            allowedIps = List.copyOf(allowedIps);
        }

        /** A change that removes the peer with this public key. */
        public static PeerChange removal(byte[] publicKey) {
            return new PeerChange(publicKey, true, false, null, null, OptionalInt.empty(), false, List.of());
        }

        @Override
        public String toString() {
            return "PeerChange[publicKey=" + UapiValues.keyToHex(publicKey).substring(0, 8) + "…"
                    + (remove ? ", remove" : "") + (updateOnly ? ", updateOnly" : "")
                    + ", presharedKey=" + (presharedKey == null ? "unchanged" : "(hidden)")
                    + ", endpoint=" + endpoint + ", persistentKeepaliveInterval=" + persistentKeepaliveInterval
                    + ", replaceAllowedIps=" + replaceAllowedIps + ", allowedIps=" + allowedIps + "]";
        }
    }

    /**
     * One {@code allowed_ip=} line.
     *
     * @param prefix the prefix
     * @param remove true for {@code allowed_ip=-prefix} (remove just this prefix from the peer)
     */
    public record AllowedIpChange(IpPrefix prefix, boolean remove) {
        public AllowedIpChange {
            Objects.requireNonNull(prefix, "prefix");
        }

        @Override
        public String toString() {
            return (remove ? "-" : "") + prefix;
        }
    }
}
