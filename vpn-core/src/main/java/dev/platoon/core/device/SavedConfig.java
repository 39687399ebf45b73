package dev.platoon.core.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import dev.platoon.config.IpPrefix;
import dev.platoon.config.Endpoint;
import dev.platoon.config.InterfaceConfig;
import dev.platoon.config.PeerConfig;
import dev.platoon.config.WgConfig;
import dev.platoon.config.WgKey;
import dev.platoon.config.IpPrefix;
import dev.platoon.core.uapi.UapiSnapshot;

/**
 * What {@code SaveConfig = true} writes back on {@code down}, as wg-quick's save_config does: the file's
 * own wg-quick keys (Address, DNS, MTU, Table, hooks, SaveConfig) with what the running interface has
 * now — its private key and peers (as {@code wg set} left them: allowed IPs, current endpoints,
 * keepalives, preshared keys). ListenPort is the running port when the file fixes one (a port the
 * kernel picked is not written down), FwMark stays the file's.
 */
final class SavedConfig {
    private SavedConfig() {
    }

    static WgConfig of(WgConfig file, UapiSnapshot running) {
        InterfaceConfig f = file.iface();
        Optional<WgKey> privateKey = running.privateKey() == null || isZero(running.privateKey())
                ? Optional.empty() : Optional.of(WgKey.of(running.privateKey()));
        OptionalInt listenPort = f.listenPort().isPresent() ? OptionalInt.of(running.listenPort()) : OptionalInt.empty();
        InterfaceConfig iface = new InterfaceConfig(privateKey, listenPort, f.fwMark(), f.addresses(), f.dns(),
                f.dnsSearch(), f.mtu(), f.table(), f.preUp(), f.postUp(), f.preDown(), f.postDown(), f.saveConfig());
        List<PeerConfig> peers = new ArrayList<>();
        for (UapiSnapshot.Peer p : running.peers()) {
            List<IpPrefix> allowed = new ArrayList<>();
            for (IpPrefix prefix : p.allowedIps()) {
                allowed.add(prefix);
            }
            Optional<Endpoint> endpoint = p.endpoint() == null ? Optional.empty()
                    : Optional.of(new Endpoint(withoutScope(p.endpoint().getAddress().getHostAddress()),
                            p.endpoint().getPort()));
            Optional<WgKey> psk = p.presharedKey() == null || isZero(p.presharedKey())
                    ? Optional.empty() : Optional.of(WgKey.of(p.presharedKey()));
            peers.add(new PeerConfig(WgKey.of(p.publicKey()), psk, allowed, endpoint, p.persistentKeepaliveInterval()));
        }
        return new WgConfig(iface, peers);
    }

    private static String withoutScope(String address) {
        int percent = address.indexOf('%');
        return percent < 0 ? address : address.substring(0, percent);
    }

    private static boolean isZero(byte[] key) {
        for (byte b : key) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
