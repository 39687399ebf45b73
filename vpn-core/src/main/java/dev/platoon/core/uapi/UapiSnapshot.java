package dev.platoon.core.uapi;

import dev.platoon.config.IpPrefix;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * What {@code get=1} reports: one consistent view of the device, taken by {@link UapiDevice#snapshot()}.
 * Arrays are not copied; the snapshot is a short-lived value handed straight to the formatter.
 *
 * @param privateKey the interface private key (32 bytes), or {@code null} when none is set
 * @param listenPort the UDP listen port, 0 when not listening (then omitted, like wireguard-go)
 * @param fwmark     the socket mark 0..2^32-1, 0 = off (then omitted)
 * @param peers      the peers, in the device's order
 */
public record UapiSnapshot(byte[] privateKey, int listenPort, long fwmark, List<Peer> peers) {

    public UapiSnapshot {
        if (privateKey != null && privateKey.length != UapiValues.KEY_LEN) {
            throw new IllegalArgumentException("private key must be 32 bytes");
        }
        if (listenPort < 0 || listenPort > 0xffff || fwmark < 0 || fwmark > 0xffff_ffffL) {
            throw new IllegalArgumentException("listen port or fwmark out of range");
        }
        peers = List.copyOf(peers);
    }

    @Override
    public String toString() { // never print the private key
        return "UapiSnapshot[privateKey=" + (privateKey == null ? "none" : "(hidden)") + ", listenPort=" + listenPort
                + ", fwmark=" + fwmark + ", peers=" + peers + "]";
    }

    /**
     * One peer as {@code get=1} reports it.
     *
     * @param publicKey                   32 bytes
     * @param presharedKey                32 bytes, or {@code null} for none (sent as all zeros)
     * @param endpoint                    the current endpoint (resolved), or {@code null} when unknown
     * @param persistentKeepaliveInterval seconds, 0 = off
     * @param lastHandshakeTimeSec        wall-clock seconds since the epoch of the last completed
     *                                    handshake, 0 = never
     * @param lastHandshakeTimeNsec       the nanoseconds part, 0..999 999 999
     * @param rxBytes                     bytes received (unsigned 64-bit)
     * @param txBytes                     bytes sent (unsigned 64-bit)
     * @param allowedIps                  the peer's allowed IPs
     */
    public record Peer(byte[] publicKey, byte[] presharedKey, InetSocketAddress endpoint,
                       int persistentKeepaliveInterval, long lastHandshakeTimeSec, long lastHandshakeTimeNsec,
                       long rxBytes, long txBytes, List<IpPrefix> allowedIps) {

        public Peer {
            Objects.requireNonNull(publicKey, "publicKey");
            if (publicKey.length != UapiValues.KEY_LEN
                    || (presharedKey != null && presharedKey.length != UapiValues.KEY_LEN)) {
                throw new IllegalArgumentException("keys must be 32 bytes");
            }
            if (persistentKeepaliveInterval < 0 || persistentKeepaliveInterval > 0xffff) {
                throw new IllegalArgumentException("persistent keepalive out of range");
            }
            if (lastHandshakeTimeSec < 0 || lastHandshakeTimeNsec < 0 || lastHandshakeTimeNsec > 999_999_999) {
                throw new IllegalArgumentException("last handshake time out of range");
            }
            allowedIps = List.copyOf(allowedIps);
        }

        @Override
        public String toString() { // the preshared key is a secret too
            return "Peer[publicKey=" + UapiValues.keyToHex(publicKey).substring(0, 8) + "…, presharedKey="
                    + (presharedKey == null ? "none" : "(hidden)") + ", endpoint=" + endpoint
                    + ", persistentKeepaliveInterval=" + persistentKeepaliveInterval
                    + ", lastHandshake=" + lastHandshakeTimeSec + "." + lastHandshakeTimeNsec
                    + ", rx=" + Long.toUnsignedString(rxBytes) + ", tx=" + Long.toUnsignedString(txBytes)
                    + ", allowedIps=" + allowedIps + "]";
        }
    }
}
