package dev.platoon.core.device;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import dev.platoon.config.IpPrefix;
import dev.platoon.config.PeerConfig;
import dev.platoon.config.WgConfig;
import dev.platoon.config.IpPrefix;
import dev.platoon.core.uapi.UapiSetRequest;
import dev.platoon.core.uapi.UapiSnapshot;

/**
 * What {@code wg syncconf} does, as one set request: make the running peers equal to a file's
 * without touching what did not change. Peers in the file are updated in place (their sessions
 * live on); peers not in the file are removed; an endpoint the file does not name stays what
 * roaming learned. Used by {@code platoon syncconf} over the control socket and by SIGHUP in-process.
 */
public final class SyncRequest {
    private static final byte[] NO_PSK = new byte[32];

    private SyncRequest() {
    }

    public static UapiSetRequest of(WgConfig target, UapiSnapshot current) throws UnknownHostException {
        List<UapiSetRequest.PeerChange> changes = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        for (PeerConfig p : target.peers()) {
            wanted.add(p.publicKey().toBase64());
            List<UapiSetRequest.AllowedIpChange> ips = new ArrayList<>();
            for (IpPrefix c : p.allowedIps()) {
                ips.add(new UapiSetRequest.AllowedIpChange(c, false));
            }
            InetSocketAddress endpoint = null;
            if (p.endpoint().isPresent()) {
                var e = p.endpoint().get();
                InetAddress a = e.literalAddress().orElse(null);
                endpoint = new InetSocketAddress(a != null ? a : InetAddress.getByName(e.host()), e.port());
            }
            changes.add(new UapiSetRequest.PeerChange(p.publicKey().bytes(), false, false,
                    p.presharedKey().map(k -> k.bytes()).orElse(NO_PSK.clone()), endpoint,
                    OptionalInt.of(p.persistentKeepalive()), true, ips));
        }
        for (UapiSnapshot.Peer running : current.peers()) {
            if (!wanted.contains(java.util.Base64.getEncoder().encodeToString(running.publicKey()))) {
                changes.add(UapiSetRequest.PeerChange.removal(running.publicKey()));
            }
        }
        var iface = target.iface();
        return new UapiSetRequest(iface.privateKey().map(k -> k.bytes()).orElse(null),
                iface.listenPort().isPresent() && iface.listenPort().getAsInt() != 0
                        ? OptionalInt.of(iface.listenPort().getAsInt()) : OptionalInt.empty(),
                // No FwMark in the file means "leave it", as wg syncconf does (a full tunnel picks its own).
                iface.fwMark() == 0 ? OptionalLong.empty() : OptionalLong.of(Integer.toUnsignedLong(iface.fwMark())),
                false, changes);
    }
}
