package dev.platoon.core.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

import dev.platoon.config.PeerNames;

/**
 * The friendly names in the interface's configuration file, read again only when the file changed
 * (size or modification time), so {@code platoon peer add} shows up in the next scrape without a reload.
 * A file that cannot be read gives no names rather than a failed scrape.
 */
final class FileNames {
    private final Path file;
    private Object stamp;
    private Map<String, String> names = Map.of();

    FileNames(Path file) {
        this.file = file;
    }

    synchronized Map<String, String> get() {
        if (file == null) {
            return Map.of();
        }
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            Object now = a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey();
            if (!now.equals(stamp)) {
                byte[] bytes = Files.readAllBytes(file);
                names = PeerNames.read(new String(bytes, StandardCharsets.UTF_8));
                java.util.Arrays.fill(bytes, (byte) 0); // it held the private key
                stamp = now;
            }
        } catch (IOException | RuntimeException e) {
            names = Map.of();
            stamp = null;
        }
        return names;
    }
}
