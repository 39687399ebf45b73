package dev.platoon.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.platoon.config.ConfigParser;
import dev.platoon.config.PeerConfig;
import dev.platoon.config.WgConfig;
import dev.platoon.core.launch.JavaCommand;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.crypto.Keys;

/**
 * {@code SaveConfig = true}: a peer added with {@code wg set} is in the file after {@code platoon down},
 * with the file's own wg-quick keys kept, and comes back with the next {@code up}.
 */
class SaveConfigIT {
    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void peerAddedByWgSetSurvivesDownAndUp() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-save")) {
            Side a = bed.a;
            bed.writeConfig(a, true, List.of("SaveConfig = true", "PostUp = true"));
            String added = Keys.toBase64(Keys.publicKey(Keys.generatePrivateKey()));
            bed.startPlatoon(a, List.of("--queues=1"));
            bed.awaitUp(a, Duration.ofSeconds(30));
            awaitControlSocket(a);
            wg(bed, a, "set", a.ifname, "peer", added, "allowed-ips", "100.64.0.9/32,fd00:64::9/128",
                    "endpoint", "192.0.2.9:51820", "persistent-keepalive", "25");
            platoon(bed, a, "down", a.ifname);
            assertTrue(a.process.waitFor(20, TimeUnit.SECONDS), "a did not stop");
            assertTrue(Files.readString(a.log).contains("[#] saving the running configuration to " + a.config),
                    Files.readString(a.log));

            WgConfig saved = ConfigParser.parse(a.config);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a.config)));
            assertTrue(saved.iface().saveConfig());
            assertEquals(List.of("true"), saved.iface().postUp());
            assertEquals(2, saved.iface().addresses().size());
            assertEquals(Keys.toBase64(a.privateKey), saved.iface().privateKey().orElseThrow().toBase64());
            assertEquals(TunnelBed.LISTEN_PORT, saved.iface().listenPort().orElseThrow());
            PeerConfig peer = saved.peers().stream().filter(p -> p.publicKey().toBase64().equals(added))
                    .findFirst().orElseThrow(() -> new AssertionError("no added peer in\n" + read(bed, a)));
            assertEquals("[100.64.0.9/32, fd00:64::9/128]", peer.allowedIps().toString());
            assertEquals("192.0.2.9:51820", peer.endpoint().orElseThrow().toString());
            assertEquals(25, peer.persistentKeepalive());
            assertEquals(2, saved.peers().size(), read(bed, a));

            bed.startPlatoon(a, List.of("--queues=1"));
            bed.awaitUp(a, Duration.ofSeconds(30));
            awaitControlSocket(a);
            assertTrue(wg(bed, a, "show", a.ifname, "peers").contains(added), "not back after up");
        }
    }

    private static void awaitControlSocket(Side side) throws Exception {
        java.nio.file.Path socket = java.nio.file.Path.of("/var/run/wireguard", side.ifname + ".sock");
        dev.platoon.core.demo.Waits.until(T, socket.toString(), () -> Files.exists(socket) || !side.process.isAlive());
    }

    private static String read(TunnelBed bed, Side side) {
        try {
            return Files.readString(side.config).replaceAll("PrivateKey = .*", "PrivateKey = (hidden)");
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static void platoon(TunnelBed bed, Side side, String... args) {
        bed.net.exec(side.namespace, Duration.ofSeconds(30),
                JavaCommand.platoon(List.of(args)).toArray(String[]::new)).orThrow();
    }

    private static String wg(TunnelBed bed, Side side, String... args) {
        List<String> argv = new ArrayList<>(List.of("wg"));
        argv.addAll(List.of(args));
        return Shell.run(T, Shell.inNamespace(side.namespace, argv)).orThrow().stdout();
    }
}
