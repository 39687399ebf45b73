package dev.platoon.core.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The few lines that must not be lost with the log file (a reload refused, the device gone): a detached
 * interface's stderr is its log file, and on a full disk what it writes there is gone. These lines also
 * go to the system log — one datagram in the syslog format to {@code /dev/log}, which journald or a
 * syslog daemon serves — unless stderr already is the journal (systemd sets {@code JOURNAL_STREAM}).
 * {@code PLATOON_SYSLOG} names another socket, or {@code off}.
 */
final class Syslog {
    static final String ENV = "PLATOON_SYSLOG";
    private static final int LOG_DAEMON = 3 << 3;
    static final int WARNING = 4;
    static final int ERR = 3;

    private Syslog() {
    }

    /** Sends {@code line} at {@code severity} when there is a system log that stderr does not reach. */
    static void send(int severity, String line) {
        String target = System.getenv(ENV);
        if ("off".equals(target)) {
            return;
        }
        if (target == null || target.isEmpty()) {
            if (System.getenv("JOURNAL_STREAM") != null || !Files.exists(Path.of("/dev/log"))) {
                return;
            }
            target = "/dev/log";
        }
        String message = "<" + (LOG_DAEMON | severity) + ">platoon[" + ProcessHandle.current().pid() + "]: " + line;
        try {
            SystemdNotify.send(target, message);
        } catch (IOException | RuntimeException e) {
            // no system log to reach: the line is on stderr as always
        }
    }
}
