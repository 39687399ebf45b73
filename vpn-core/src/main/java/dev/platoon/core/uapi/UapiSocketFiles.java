package dev.platoon.core.uapi;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/** File-system side of the control socket: the directory, stale sockets, publishing under the final name. */
final class UapiSocketFiles {

    private UapiSocketFiles() {
    }

    /** Creates the directory 0700 if missing (wireguard-go uses 0755; nothing but root needs to look in). */
    static void prepareDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (FileAlreadyExistsException e) {
            throw new IOException(dir + " exists and is not a directory");
        }
    }

    /**
     * If {@code path} exists: a live socket → "interface NAME is already in use"; a socket nobody
     * listens on (ECONNREFUSED, its process died) → deleted; anything else → refused.
     */
    static void clearStale(Path path, String interfaceName) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!attrs.isOther()) {
            throw new IOException(path + " exists and is not a socket; not replacing it");
        }
        if (isLive(path)) {
            throw new IOException("interface " + interfaceName + " is already in use");
        }
        Files.deleteIfExists(path);
    }

    /** True when a process accepts connections on the socket at {@code path}. */
    static boolean isLive(Path path) throws IOException {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (ConnectException e) {
            return false; // ECONNREFUSED: a leftover of a dead process
        }
    }

    /**
     * Gives the bound, already 0600 socket its final name with link(2), which — unlike rename —
     * fails instead of replacing a socket another process published meanwhile.
     */
    static void publish(Path temp, Path path, String interfaceName) throws IOException {
        try {
            Files.createLink(path, temp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("interface " + interfaceName + " is already in use");
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
