package dev.platoon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Collects the keys of one {@code [Peer]} section while parsing. */
final class PeerBuilder {
    final int headerLine;
    /** Line of the PublicKey key, 0 while none was seen. */
    int publicKeyLine;

    private WgKey publicKey;
    private WgKey presharedKey;
    private final List<IpPrefix> allowedIps = new ArrayList<>();
    private Endpoint endpoint;
    private int persistentKeepalive;

    PeerBuilder(int headerLine) {
        this.headerLine = headerLine;
    }

    void apply(ConfigKey key, String value, int line) {
        switch (key) {
            case PUBLIC_KEY -> {
                publicKeyLine = line;
                publicKey = Values.key(value);
            }
            case PRESHARED_KEY -> presharedKey = Values.key(value);
            case ALLOWED_IPS -> {
                // wg(8) refuses an empty entry ("10.0.0.0/8,"), unlike wg-quick's Address.
                for (String entry : Values.list(value, false)) {
                    allowedIps.add(IpPrefix.parse(entry));
                }
            }
            case ENDPOINT -> endpoint = Endpoint.parse(value);
            case PERSISTENT_KEEPALIVE -> persistentKeepalive = Values.keepalive(value);
            default -> throw new IllegalStateException("not a [Peer] key: " + key);
        }
    }

    /** The public key, or null when it was missing or bad. */
    WgKey publicKey() {
        return publicKey;
    }

    PeerConfig build() {
        return new PeerConfig(publicKey, Optional.ofNullable(presharedKey), allowedIps,
                Optional.ofNullable(endpoint), persistentKeepalive);
    }
}
