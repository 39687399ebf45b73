package dev.platoon.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * The warning {@code wg} prints for a key or configuration file that others can read. Callers
 * print it to stderr and carry on, as {@code wg} does: it is advice, not an error.
 */
public final class KeyFilePermissions {
    private KeyFilePermissions() {}

    /**
     * {@code Warning: `FILE' is world accessible} when group or others may read {@code file}; empty
     * when only the owner can, or when the file system has no POSIX permissions.
     *
     * @throws IOException when the file cannot be examined (e.g. it does not exist)
     */
    public static Optional<String> check(Path file) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        }
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            return Optional.of("Warning: `" + file + "' is world accessible");
        }
        return Optional.empty();
    }
}
