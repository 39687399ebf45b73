package dev.platoon.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shows a detached interface's log as it grows, so that a detaching {@code up} and a {@code down} print
 * what the foreground process prints ({@code [#]} lines, hook output, warnings), as wg-quick does. Only
 * whole lines, from where the log ended when following began.
 */
final class LogFollower {
    private final Path log;
    private long offset;
    private final StringBuilder partial = new StringBuilder();
    private String lastLine;

    /** Follows {@code log} from its current end (from the start when it does not exist yet). */
    LogFollower(Path log) {
        this.log = log;
        long size;
        try {
            size = Files.size(log);
        } catch (IOException e) {
            size = 0;
        }
        this.offset = size;
    }

    /**
     * Prints the whole lines added since the last call, skipping those {@code skip} accepts; returns how
     * many bytes the log grew by.
     */
    int printNewLines(PrintWriter to, java.util.function.Predicate<String> skip) {
        byte[] added;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            if (length < offset) {
                offset = 0; // rotated or truncated: start over
            }
            added = new byte[(int) Math.min(length - offset, 1 << 20)];
            file.seek(offset);
            file.readFully(added);
            offset += added.length;
        } catch (IOException e) {
            return 0;
        }
        partial.append(new String(added, StandardCharsets.UTF_8));
        int end;
        while ((end = partial.indexOf("\n")) >= 0) {
            String line = partial.substring(0, end);
            partial.delete(0, end + 1);
            if (line.startsWith("[#] ") || line.startsWith("platoon: ")) {
                lastLine = line;
            }
            if (!skip.test(line)) {
                to.println(line);
            }
        }
        to.flush();
        return added.length;
    }

    /** The last step read (a {@code [#]} line or platoon's own), or null. */
    String lastLine() {
        return lastLine;
    }
}
