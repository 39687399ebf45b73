package dev.platoon.core.uapi;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Turns the lines of a {@code set=1} request (without the {@code set=1} line and the terminating blank
 * line) into a {@link UapiSetRequest}, validating every line before anything is applied. Keys and
 * errno values follow wireguard-go's {@code handleDeviceLine}/{@code handlePeerLine}: a line without
 * {@code =} is {@link UapiErrno#PROTOCOL}; an unknown key or a bad value is {@link UapiErrno#INVALID}.
 * Interface keys are only accepted before the first {@code public_key=} line.
 */
public final class UapiSetParser {

    /** Longest line without '=' quoted in an error; a hex key is 64 characters. */
    static final int MAX_ECHOED_LINE = 32;

    private UapiSetParser() {
    }

    /** Parses and validates the whole request; throws on the first bad line, naming it. */
    public static UapiSetRequest parse(List<String> lines) throws UapiException {
        byte[] privateKey = null;
        OptionalInt listenPort = OptionalInt.empty();
        OptionalLong fwmark = OptionalLong.empty();
        boolean replacePeers = false;
        List<UapiSetRequest.PeerChange> peers = new ArrayList<>();
        PeerBuilder peer = null;

        int lineNo = 1; // line 1 is "set=1"
        for (String line : lines) {
            lineNo++;
            int eq = line.indexOf('=');
            if (eq < 0) {
                // A long line is not echoed: it may be a key whose "private_key=" got lost.
                throw new UapiException(UapiErrno.PROTOCOL, "line " + lineNo + ": expected key=value, got "
                        + (line.length() <= MAX_ECHOED_LINE ? UapiValues.quote(line)
                                : "a line of " + line.length() + " characters (not shown)"));
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            try {
                if (key.equals("public_key")) {
                    if (peer != null) {
                        peers.add(peer.build());
                    }
                    peer = new PeerBuilder(key(value));
                } else if (peer == null) {
                    switch (key) {
                        case "private_key" -> privateKey = key(value);
                        case "listen_port" -> listenPort = OptionalInt.of((int) UapiValues.parseUnsigned(value, 0xffff));
                        case "fwmark" -> fwmark = OptionalLong.of(UapiValues.parseUnsigned(value, 0xffff_ffffL));
                        case "replace_peers" -> replacePeers = isTrue(value);
                        default -> throw unknownKey(lineNo, "interface", key);
                    }
                } else {
                    switch (key) {
                        case "remove" -> peer.remove = isTrue(value);
                        case "update_only" -> peer.updateOnly = isTrue(value);
                        case "preshared_key" -> peer.presharedKey = key(value);
                        case "endpoint" -> peer.endpoint = UapiValues.parseEndpoint(value);
                        case "persistent_keepalive_interval" -> peer.keepalive =
                                OptionalInt.of((int) UapiValues.parseUnsigned(value, 0xffff));
                        case "replace_allowed_ips" -> {
                            isTrue(value);
                            // wireguard-go drops the peer's allowed IPs at this point, so earlier
                            // allowed_ip lines of this block are dropped too
                            peer.replaceAllowedIps = true;
                            peer.allowedIps.clear();
                        }
                        case "allowed_ip" -> {
                            boolean remove = value.startsWith("-");
                            peer.allowedIps.add(new UapiSetRequest.AllowedIpChange(
                                    UapiValues.parsePrefix(remove ? value.substring(1) : value), remove));
                        }
                        case "protocol_version" -> {
                            if (!value.equals("1")) {
                                throw new IllegalArgumentException("only protocol version 1 exists");
                            }
                        }
                        default -> throw unknownKey(lineNo, "peer", key);
                    }
                }
            } catch (IllegalArgumentException e) {
                boolean secret = key.equals("private_key") || key.equals("preshared_key");
                throw new UapiException(UapiErrno.INVALID, "line " + lineNo + ": invalid " + UapiValues.quote(key)
                        + (secret ? "" : " value " + UapiValues.quote(value)) + ": " + printable(e.getMessage()));
            }
        }
        if (peer != null) {
            peers.add(peer.build());
        }
        return new UapiSetRequest(privateKey, listenPort, fwmark, replacePeers, peers);
    }

    /**
     * A reason from below (e.g. the JDK's "Invalid IP address literal: ...") may repeat the raw
     * value; control characters in it would break the one-line log message.
     */
    private static String printable(String reason) {
        if (reason == null) {
            return "invalid";
        }
        StringBuilder sb = new StringBuilder(reason.length());
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }

    private static UapiException unknownKey(int lineNo, String where, String key) {
        return new UapiException(UapiErrno.INVALID, "line " + lineNo + ": unknown " + where + " key "
                + UapiValues.quote(key));
    }

    private static byte[] key(String hex) {
        return UapiValues.hexToKey(hex);
    }

    /** wireguard-go accepts exactly "true" for the flag keys. */
    private static boolean isTrue(String value) {
        if (!value.equals("true")) {
            throw new IllegalArgumentException("the only accepted value is \"true\"");
        }
        return true;
    }

    private static final class PeerBuilder {
        final byte[] publicKey;
        boolean remove;
        boolean updateOnly;
        byte[] presharedKey;
        InetSocketAddress endpoint;
        OptionalInt keepalive = OptionalInt.empty();
        boolean replaceAllowedIps;
        final List<UapiSetRequest.AllowedIpChange> allowedIps = new ArrayList<>();

        PeerBuilder(byte[] publicKey) {
            this.publicKey = publicKey;
        }

        UapiSetRequest.PeerChange build() {
            if (remove) {
                // wireguard-go applies the earlier lines, removes the peer, and sends later lines to a
                // throw-away peer: the net effect is just the removal
                return UapiSetRequest.PeerChange.removal(publicKey);
            }
            return new UapiSetRequest.PeerChange(publicKey, false, updateOnly, presharedKey, endpoint, keepalive,
                    replaceAllowedIps, allowedIps);
        }
    }
}
