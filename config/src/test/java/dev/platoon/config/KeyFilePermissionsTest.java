package dev.platoon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilePermissionsTest {
    @TempDir
    Path dir;

    private Path file(String name, String mode) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, TestKeys.PRIVATE + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void ownerOnlyFileGivesNoWarning() throws IOException {
        assertEquals(Optional.empty(), KeyFilePermissions.check(file("private.key", "rw-------")));
        assertEquals(Optional.empty(), KeyFilePermissions.check(file("readonly.key", "r--------")));
    }

    @Test
    void worldReadableFileGivesWgsWarning() throws IOException {
        Path f = file("wg0.conf", "rw-r--r--");
        assertEquals(Optional.of("Warning: `" + f + "' is world accessible"), KeyFilePermissions.check(f));
    }

    @Test
    void groupReadableFileAlsoWarns() throws IOException {
        Path f = file("group.key", "rw-r-----");
        assertEquals(Optional.of("Warning: `" + f + "' is world accessible"), KeyFilePermissions.check(f));
    }

    @Test
    void missingFileIsAnIoError() {
        assertThrows(IOException.class, () -> KeyFilePermissions.check(dir.resolve("absent.key")));
    }
}
