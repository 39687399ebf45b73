package dev.platoon.core.uapi;

import dev.platoon.config.IpPrefix;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The text side of the protocol apart from {@code set} parsing ({@link UapiSetParser}): the
 * {@code get} response body in wireguard-go's key order, parsing that body back (for
 * {@link UapiClient}), writing a {@code set} request, and the status trailer.
 */
public final class UapiText {
    /** The first line of a get request (followed by an empty line). */
    public static final String GET = "get=1";
    /** The first line of a set request (followed by key=value lines and an empty line). */
    public static final String SET = "set=1";
    /**
     * platoon's own request (followed by an empty line): what {@code platoon show} prints, rendered when
     * asked. Each line of it comes as {@code status=LINE}, so its blank lines cannot end the response.
     */
    public static final String SHOW = "show=1";
    private static final String STATUS_LINE = "status=";

    private UapiText() {
    }

    /** The body of a show response: each line of {@code text} as {@code status=LINE}. */
    public static String formatShow(String text) {
        StringBuilder out = new StringBuilder(text.length() + 64 * 8);
        text.lines().forEach(l -> out.append(STATUS_LINE).append(l).append('\n'));
        return out.toString();
    }

    /** The text of a show response's lines (the errno line left out). */
    public static String parseShow(List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (String l : lines) {
            if (l.startsWith(STATUS_LINE)) {
                text.append(l, STATUS_LINE.length(), l.length()).append('\n');
            }
        }
        return text.toString();
    }

    /** {@code errno=N\n\n}: the last two lines of every response. */
    public static String status(int errno) {
        return "errno=" + errno + "\n\n";
    }

    /**
     * The body of a get response (without the status): interface keys, then per peer the keys in
     * wireguard-go's order (public_key, preshared_key, protocol_version, endpoint, last handshake,
     * tx/rx bytes, persistent keepalive, allowed IPs). A zero listen port/fwmark and an absent
     * private key are left out, as wireguard-go does.
     */
    public static String formatGet(UapiSnapshot s) {
        StringBuilder sb = new StringBuilder(256 + s.peers().size() * 400);
        if (s.privateKey() != null && !UapiValues.isZero(s.privateKey())) {
            line(sb, "private_key", UapiValues.keyToHex(s.privateKey()));
        }
        if (s.listenPort() != 0) {
            line(sb, "listen_port", Integer.toString(s.listenPort()));
        }
        if (s.fwmark() != 0) {
            line(sb, "fwmark", Long.toString(s.fwmark()));
        }
        byte[] zero = new byte[UapiValues.KEY_LEN];
        for (UapiSnapshot.Peer p : s.peers()) {
            line(sb, "public_key", UapiValues.keyToHex(p.publicKey()));
            line(sb, "preshared_key", UapiValues.keyToHex(p.presharedKey() == null ? zero : p.presharedKey()));
            line(sb, "protocol_version", "1");
            if (p.endpoint() != null && p.endpoint().getAddress() != null) {
                line(sb, "endpoint", UapiValues.formatEndpoint(p.endpoint()));
            }
            line(sb, "last_handshake_time_sec", Long.toString(p.lastHandshakeTimeSec()));
            line(sb, "last_handshake_time_nsec", Long.toString(p.lastHandshakeTimeNsec()));
            line(sb, "tx_bytes", Long.toUnsignedString(p.txBytes()));
            line(sb, "rx_bytes", Long.toUnsignedString(p.rxBytes()));
            line(sb, "persistent_keepalive_interval", Integer.toString(p.persistentKeepaliveInterval()));
            for (IpPrefix prefix : p.allowedIps()) {
                line(sb, "allowed_ip", prefix.toString());
            }
        }
        return sb.toString();
    }

    /** The whole {@code set} request, {@code set=1} line and terminating blank line included. */
    public static String formatSet(UapiSetRequest r) {
        StringBuilder sb = new StringBuilder(256 + r.peers().size() * 300);
        sb.append(SET).append('\n');
        if (r.privateKey() != null) {
            line(sb, "private_key", UapiValues.keyToHex(r.privateKey()));
        }
        r.listenPort().ifPresent(v -> line(sb, "listen_port", Integer.toString(v)));
        r.fwmark().ifPresent(v -> line(sb, "fwmark", Long.toString(v)));
        if (r.replacePeers()) {
            line(sb, "replace_peers", "true");
        }
        for (UapiSetRequest.PeerChange p : r.peers()) {
            line(sb, "public_key", UapiValues.keyToHex(p.publicKey()));
            if (p.remove()) {
                line(sb, "remove", "true");
                continue;
            }
            if (p.updateOnly()) {
                line(sb, "update_only", "true");
            }
            if (p.presharedKey() != null) {
                line(sb, "preshared_key", UapiValues.keyToHex(p.presharedKey()));
            }
            if (p.endpoint() != null) {
                line(sb, "endpoint", UapiValues.formatEndpoint(p.endpoint()));
            }
            p.persistentKeepaliveInterval().ifPresent(v -> line(sb, "persistent_keepalive_interval", Integer.toString(v)));
            if (p.replaceAllowedIps()) {
                line(sb, "replace_allowed_ips", "true");
            }
            for (UapiSetRequest.AllowedIpChange a : p.allowedIps()) {
                line(sb, "allowed_ip", a.toString());
            }
        }
        return sb.append('\n').toString();
    }

    /**
     * Parses a get response body (the lines before the blank line; an {@code errno=} line and unknown
     * keys are skipped, for newer servers). Throws {@link UapiErrno#PROTOCOL} on a malformed line.
     */
    public static UapiSnapshot parseGet(List<String> lines) throws UapiException {
        byte[] privateKey = null;
        int listenPort = 0;
        long fwmark = 0;
        List<UapiSnapshot.Peer> peers = new ArrayList<>();
        PeerFields p = null;
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new UapiException(UapiErrno.PROTOCOL, "response line " + lineNo + ": expected key=value");
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            try {
                if (key.equals("public_key")) {
                    if (p != null) {
                        peers.add(p.build());
                    }
                    p = new PeerFields(UapiValues.hexToKey(value));
                    continue;
                }
                if (p == null) {
                    switch (key) {
                        case "private_key" -> privateKey = UapiValues.hexToKey(value);
                        case "listen_port" -> listenPort = (int) UapiValues.parseUnsigned(value, 0xffff);
                        case "fwmark" -> fwmark = UapiValues.parseUnsigned(value, 0xffff_ffffL);
                        default -> { }
                    }
                    continue;
                }
                switch (key) {
                    case "preshared_key" -> {
                        byte[] psk = UapiValues.hexToKey(value);
                        p.presharedKey = UapiValues.isZero(psk) ? null : psk;
                    }
                    case "endpoint" -> p.endpoint = UapiValues.parseEndpoint(value);
                    case "last_handshake_time_sec" -> p.sec = UapiValues.parseUnsigned(value, Long.MAX_VALUE);
                    case "last_handshake_time_nsec" -> p.nsec = UapiValues.parseUnsigned(value, 999_999_999);
                    case "rx_bytes" -> p.rx = Long.parseUnsignedLong(value);
                    case "tx_bytes" -> p.tx = Long.parseUnsignedLong(value);
                    case "persistent_keepalive_interval" -> p.keepalive = (int) UapiValues.parseUnsigned(value, 0xffff);
                    case "allowed_ip" -> p.allowedIps.add(UapiValues.parsePrefix(value));
                    default -> { }
                }
            } catch (IllegalArgumentException e) {
                throw new UapiException(UapiErrno.PROTOCOL, "response line " + lineNo + ": bad " + UapiValues.quote(key)
                        + ": " + e.getMessage());
            }
        }
        if (p != null) {
            peers.add(p.build());
        }
        return new UapiSnapshot(privateKey, listenPort, fwmark, peers);
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(key).append('=').append(value).append('\n');
    }

    private static final class PeerFields {
        final byte[] publicKey;
        byte[] presharedKey;
        InetSocketAddress endpoint;
        long sec;
        long nsec;
        long rx;
        long tx;
        int keepalive;
        final List<IpPrefix> allowedIps = new ArrayList<>();

        PeerFields(byte[] publicKey) {
            this.publicKey = publicKey;
        }

        UapiSnapshot.Peer build() {
            return new UapiSnapshot.Peer(publicKey, presharedKey, endpoint, keepalive, sec, nsec, rx, tx, allowedIps);
        }
    }
}
