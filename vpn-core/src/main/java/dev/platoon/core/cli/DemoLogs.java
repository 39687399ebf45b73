package dev.platoon.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import dev.platoon.core.demo.TunnelBed;

/**
 * What a failed demo leaves the user: the last lines of each log on stderr, and a copy of the logs in a
 * folder of its own that outlives the demo's scratch folder (which goes with the namespaces).
 */
final class DemoLogs {
    static final int TAIL_LINES = 8;

    private DemoLogs() {
    }

    static void keep(TunnelBed bed, PrintWriter err) {
        keep(bed.workDir(), err);
    }

    /** The logs ({@code *.log}, never the configurations with their keys) of {@code workDir}. */
    static void keep(Path workDir, PrintWriter err) {
        Path kept;
        try {
            kept = Files.createTempDirectory("platoon-demo-logs",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            kept = null;
        }
        try (var files = Files.list(workDir)) {
            for (Path log : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                err.println("  last lines of " + log.getFileName() + ":");
                for (String line : lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())) {
                    err.println("    " + line);
                }
                if (kept != null) {
                    Files.copy(log, kept.resolve(log.getFileName()));
                }
            }
        } catch (IOException | RuntimeException e) {
            err.println("  (the logs could not be read: " + Main.oneLine(e) + ")");
        }
        if (kept != null) {
            err.println("platoon demo: the whole logs are kept in " + kept);
        }
        err.flush();
    }
}
