package dev.platoon.core.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Which process serves an interface, in a way a crash cannot falsify. From its first step, the process
 * of {@code up NAME} holds an exclusive {@code fcntl} lock on {@code /run/platoon/NAME.lock} (which
 * holds its pid); the kernel drops the lock when the process ends, however it ends. Once the interface
 * is up it also writes {@code NAME.pid}, the usual one-line pid file. A pid file is trusted only while
 * the lock's holder is the process it names: after a crash, whatever process has been given that pid
 * since is never signalled. Whoever holds the lock also owns the name's leftovers: a second {@code up}
 * cannot start, and {@code down} or another {@code up} clear what a dead process left only while they
 * hold it themselves ({@link #whileLocked}), never under a process that is still coming up.
 *
 * <p>The lock file is deleted by its holder when it is done, still holding the lock; a process that
 * locks it checks that the name still leads to the file it locked.
 */
final class PidFile {
    /** A probe of another process takes a shared lock for microseconds; a holder keeps it for good. */
    private static final int ATTEMPTS = 20;
    /** Held for the life of the process: were the channel collected, its fd would close and the lock go. */
    private static FileChannel held;

    private PidFile() {
    }

    /**
     * Takes NAME's lock for this process, for good; returns empty when it has it, or the pid of the
     * process that holds it (-1 when it cannot be read).
     */
    static synchronized Optional<Long> lockName(InterfaceFiles files, String name) throws IOException {
        if (held != null) {
            return Optional.empty();
        }
        FileChannel channel = lockedChannel(files, name);
        if (channel == null) {
            return Optional.of(readPid(files.runDir().resolve(name + ".lock")));
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        held = channel;
        return Optional.empty();
    }

    /**
     * Runs {@code action} holding NAME's lock (clearing what a dead process left); returns false, without
     * running it, when a live process holds the lock.
     */
    static boolean whileLocked(InterfaceFiles files, String name, Runnable action) {
        synchronized (PidFile.class) {
            if (held != null) { // this process is NAME's: the lock is ours already
                action.run();
                return true;
            }
        }
        try (FileChannel channel = lockedChannel(files, name)) {
            if (channel == null) {
                return false;
            }
            action.run();
            deleteLockFile(files, name); // while it is locked: see lockedChannel
            return true; // closing the channel releases the lock
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * NAME's lock file, opened and locked; or null when a live process holds it. The file is deleted by
     * whoever holds the lock when it is done with the name, so a lock taken on a file that has lost its
     * name meanwhile is worth nothing: the name must lead to the same file before and after locking.
     */
    private static FileChannel lockedChannel(InterfaceFiles files, String name) throws IOException {
        Path file = files.runDir().resolve(name + ".lock");
        for (int attempt = 0; attempt < 3; attempt++) {
            Object before = fileKey(file);
            FileChannel channel = openLock(files, name);
            if (!tryLock(channel)) {
                channel.close();
                return null;
            }
            if (before != null && before.equals(fileKey(file))) {
                return channel;
            }
            channel.close(); // created here, or replaced meanwhile: look again
        }
        return null;
    }

    private static void deleteLockFile(InterfaceFiles files, String name) {
        try {
            Files.deleteIfExists(files.runDir().resolve(name + ".lock"));
        } catch (IOException ignored) {
            // a lock file nobody holds is free to take
        }
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes NAME.pid: the interface is up (the detaching parent waits for it). */
    static void writeReady(InterfaceFiles files, String name) throws IOException {
        Path tmp = files.runDir().resolve(name + ".pid." + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(tmp, ProcessHandle.current().pid() + "\n");
        Files.move(tmp, files.pidFile(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** On the way down: removes NAME.pid when it names this process, and NAME's lock file. */
    static synchronized void release(InterfaceFiles files, String name) {
        try {
            if (readPidFile(files.pidFile(name)) == ProcessHandle.current().pid()) {
                Files.deleteIfExists(files.pidFile(name));
            }
        } catch (IOException ignored) {
            // nobody holds the lock once we are gone: it reads as stale
        }
        if (held != null) {
            deleteLockFile(files, name); // still locked until the process ends
        }
    }

    /** The process serving NAME once it is up: the one its pid file names, if that one holds the lock. */
    static Optional<ProcessHandle> running(InterfaceFiles files, String name) {
        long pid = readPid(files.pidFile(name));
        if (pid < 0) {
            return Optional.empty(); // not up (yet): no need to probe the lock (a detaching up polls this)
        }
        return holder(files, name).filter(p -> p.pid() == pid);
    }

    /** The live process holding NAME's lock: up, or still coming up. */
    static Optional<ProcessHandle> holder(InterfaceFiles files, String name) {
        synchronized (PidFile.class) {
            // Ours: opening the file here and closing it would drop this process's lock.
            if (held != null) {
                return Optional.of(ProcessHandle.current());
            }
        }
        Path file = files.runDir().resolve(name + ".lock");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock probe;
            try {
                probe = channel.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                probe = null; // this JVM locks it: held
            }
            if (probe != null) {
                probe.release();
                return Optional.empty(); // nobody holds it: no process serves NAME
            }
            return ProcessHandle.of(readPid(channel)).filter(ProcessHandle::isAlive);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static FileChannel openLock(InterfaceFiles files, String name) throws IOException {
        Daemon.createPrivateDir(files.runDir());
        return FileChannel.open(files.runDir().resolve(name + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Exclusive, not waiting on a holder; a few tries so that another process's probe is not taken for one. */
    private static boolean tryLock(FileChannel channel) throws IOException {
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                if (channel.tryLock() != null) {
                    return true;
                }
            } catch (OverlappingFileLockException e) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static long readPid(FileChannel channel) throws IOException {
        ByteBuffer text = ByteBuffer.allocate(32);
        channel.read(text, 0);
        try {
            return Long.parseLong(new String(text.array(), 0, text.position(), StandardCharsets.US_ASCII).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long readPid(Path file) {
        try {
            return readPidFile(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long readPidFile(Path file) throws IOException {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
