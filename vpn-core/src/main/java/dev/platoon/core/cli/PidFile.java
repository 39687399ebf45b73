package dev.platoon.core.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * {@code /run/platoon/NAME.pid}: the pid of the process serving NAME, one line, as any pid file. It is
 * trusted only while that process holds a lock on it: the interface's process takes an exclusive
 * {@code fcntl} lock on the file before it gives the file its name and holds it until it exits; the
 * kernel drops the lock when the process ends, however it ends. A pid file nobody holds is stale — its
 * process crashed or was killed — whatever process has been given that pid since, and {@code down}
 * never signals it.
 */
final class PidFile {
    /** Held for the life of the process: were the channel collected, its fd would close and the lock go. */
    private static FileChannel held;
    private static Object heldKey;

    private PidFile() {
    }

    /** Writes this process's pid file, locked; it replaces a stale one. */
    static synchronized void claim(InterfaceFiles files, String name) throws IOException {
        Daemon.createPrivateDir(files.runDir());
        Path tmp = files.runDir().resolve(name + ".pid." + ProcessHandle.current().pid() + ".tmp");
        FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            channel.lock(); // nobody else knows this file yet: never waits
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            Files.move(tmp, files.pidFile(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
        held = channel;
        heldKey = fileKey(files.pidFile(name));
    }

    /** Removes the pid file if it is still this process's. */
    static synchronized void release(InterfaceFiles files, String name) {
        Path file = files.pidFile(name);
        if (heldKey != null && heldKey.equals(fileKey(file))) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // nobody holds it once we are gone: it reads as stale
            }
        }
    }

    /** The process serving NAME, when its pid file is held by a live process. */
    static Optional<ProcessHandle> running(InterfaceFiles files, String name) {
        Path file = files.pidFile(name);
        synchronized (PidFile.class) {
            // Ours: reading it here would close an fd of the file, and with it this process's lock.
            if (heldKey != null && heldKey.equals(fileKey(file))) {
                return Optional.of(ProcessHandle.current());
            }
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock probe;
            try {
                probe = channel.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                probe = null; // this JVM locks it: held
            }
            if (probe != null) {
                probe.release();
                return Optional.empty(); // nobody holds it: the process that wrote it is gone
            }
            ByteBuffer text = ByteBuffer.allocate(32);
            channel.read(text, 0);
            String line = new String(text.array(), 0, text.position(), StandardCharsets.US_ASCII).strip();
            return ProcessHandle.of(Long.parseLong(line)).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether a pid file is there that no live process holds. */
    static boolean isStale(InterfaceFiles files, String name) {
        return Files.exists(files.pidFile(name), LinkOption.NOFOLLOW_LINKS) && running(files, name).isEmpty();
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
