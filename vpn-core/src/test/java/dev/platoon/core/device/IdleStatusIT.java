package dev.platoon.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import dev.platoon.config.ConfigParser;
import dev.platoon.config.WgConfig;
import dev.platoon.core.demo.NamespacePair;
import dev.platoon.core.demo.Waits;
import dev.platoon.core.uapi.UapiClient;
import dev.platoon.crypto.Keys;
import dev.platoon.testkit.NetNs;

/**
 * An idle interface with 2,000 peers walks its peers for nobody: a status render or a get snapshot walks
 * every peer and allowed IP, so one a second would cost a core at thousands of peers. The device runs
 * in this JVM (in a namespace of its own) so the test can count the walks ({@link PeerWalks}); the
 * liveness file's time, set by the same timer every second, says that seconds went by. Then one
 * {@code show=1} walks once.
 */
class IdleStatusIT {
    private static final int PEERS = 2_000;

    @Test
    void noStatusRenderedUntilAsked() throws Exception {
        String name = "pti" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        Path dir = Files.createTempDirectory("pt-idle");
        try (NamespacePair net = NamespacePair.create("pt-idle")) {
            try {
                NetNs.call(net.a, () -> {
                    run(name, dir);
                    return null;
                });
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof Error failed) {
                    throw failed; // an assertion in the namespace's thread, reported as itself
                }
                throw e;
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void run(String name, Path dir) throws Exception {
        StringBuilder text = new StringBuilder("[Interface]\nPrivateKey = " + Keys.toBase64(Keys.generatePrivateKey())
                + "\nAddress = 100.64.0.1/24, fd00:64::1/64\n");
        byte[] key = new byte[32];
        for (int i = 0; i < PEERS; i++) {
            ThreadLocalRandom.current().nextBytes(key);
            text.append("[Peer]\nPublicKey = ").append(Keys.toBase64(key)).append("\nAllowedIPs = fd00:64::")
                    .append(Integer.toHexString(i + 2)).append("/128\n");
        }
        Path conf = dir.resolve(name + ".conf");
        WgConfig config = ConfigParser.parse(text.toString(), conf.toString());
        Path liveness = dir.resolve(name + ".status");
        Device device = Device.up(name, conf, config, DeviceOptions.defaults().withQueues(1).withStatusFile(liveness));
        try {
            long before = PeerWalks.count();
            Set<FileTime> beats = new HashSet<>();
            beats.add(Files.getLastModifiedTime(liveness));
            // Three more times set: the timer ran its per-second work at least three times.
            Waits.until(Duration.ofSeconds(20), "three heartbeats of " + liveness, () -> {
                beats.add(Files.getLastModifiedTime(liveness));
                return beats.size() >= 4;
            });
            assertEquals(before, PeerWalks.count(), "a walk of every peer (a status or a get) while nobody asked");
            assertTrue(Files.readString(liveness).startsWith(name + " is up (pid "), Files.readString(liveness));

            String status;
            try (UapiClient client = UapiClient.connect(name)) {
                status = client.show();
            }
            assertEquals(before + 1, PeerWalks.count(), "one show, one walk");
            assertEquals(PEERS, status.lines().filter(l -> l.startsWith("peer: ")).count(), "peers shown");
            assertTrue(status.contains("  allowed ips: fd00:64::7d1/128\n"), "the last peer's allowed IP");
            assertTrue(status.startsWith("interface: " + name + "\n"), status.lines().findFirst().orElse(""));
            String cipher = status.lines().filter(l -> l.startsWith("  cipher: ")).findFirst().orElse("(none)");
            assertTrue(cipher.contains(" \u2014 "), "the cipher line as rendered, dash and all: " + cipher);
        } finally {
            device.close();
        }
        assertFalse(Files.exists(liveness), "the liveness file outlived the device");
    }
}
