package dev.platoon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appending and cutting [Peer] sections keeps the rest of the file as written. */
class PeerSectionsTest {
    private static final String SERVER = """
            [Interface]
            # the operator's own comment
            Address = 100.64.0.1/24
            PrivateKey = %s

            [Peer]
            # friendly_name = alice
            PublicKey = %s
            AllowedIPs = 100.64.0.2/32

            [Peer]
            PublicKey = %s
            AllowedIPs = 100.64.0.3/32
            """.formatted(TestKeys.PRIVATE, TestKeys.PEER1, TestKeys.PEER2);

    @Test
    void appendThenRemoveGivesTheFileBack() throws ConfigException {
        String added = PeerSections.append(SERVER, "[Peer]\n# friendly_name = carol\nPublicKey = " + TestKeys.PEER3
                + "\nAllowedIPs = 100.64.0.4/32\n");
        assertTrue(added.startsWith(SERVER + "\n[Peer]\n# friendly_name = carol\n"), added);
        assertEquals(3, ConfigParser.parse(added, "wg0.conf").peers().size());
        assertEquals(SERVER, PeerSections.remove(added, TestKeys.PEER3).orElseThrow());
        assertEquals(SERVER.replace("""
                [Peer]
                # friendly_name = alice
                PublicKey = %s
                AllowedIPs = 100.64.0.2/32

                """.formatted(TestKeys.PEER1), ""), PeerSections.remove(SERVER, TestKeys.PEER1).orElseThrow());
        assertTrue(PeerSections.remove(SERVER, TestKeys.PEER3).isEmpty());
        assertTrue(PeerSections.remove(SERVER, TestKeys.PRIVATE).isEmpty());
        assertEquals("[Interface]\nPrivateKey = x\n\n[Peer]\n", PeerSections.append("[Interface]\nPrivateKey = x", "[Peer]"));
    }

    @Test
    void writeTextIsAtomicAndOwnerOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("wg0.conf");
        Files.writeString(file, "old");
        ConfigWriter.writeText(SERVER, file);
        assertEquals(SERVER, Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }
}
