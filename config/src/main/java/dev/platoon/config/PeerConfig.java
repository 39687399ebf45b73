package dev.platoon.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code [Peer]} section.
 *
 * @param publicKey           PublicKey (required)
 * @param presharedKey        PresharedKey
 * @param allowedIps          AllowedIPs, normalised, in file order
 * @param endpoint            Endpoint, host names unresolved
 * @param persistentKeepalive PersistentKeepalive in seconds, 0 = off
 */
public record PeerConfig(
        WgKey publicKey,
        Optional<WgKey> presharedKey,
        List<IpPrefix> allowedIps,
        Optional<Endpoint> endpoint,
        int persistentKeepalive) {

    public static final int MAX_KEEPALIVE = 65535;

    public PeerConfig {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(presharedKey, "presharedKey");
        Objects.requireNonNull(endpoint, "endpoint");
        allowedIps = List.copyOf(allowedIps);
        if (persistentKeepalive < 0 || persistentKeepalive > MAX_KEEPALIVE) {
            throw new IllegalArgumentException("PersistentKeepalive " + persistentKeepalive
                    + " is outside 0.." + MAX_KEEPALIVE);
        }
    }

    /** Shows the public key (not a secret), never the preshared key. */
    @Override
    public String toString() {
        return "PeerConfig[publicKey=" + publicKey.toBase64()
                + ", presharedKey=" + (presharedKey.isPresent() ? "(hidden)" : "none")
                + ", allowedIps=" + allowedIps + ", endpoint=" + endpoint.map(Endpoint::toString).orElse("none")
                + ", persistentKeepalive=" + persistentKeepalive + "]";
    }
}
