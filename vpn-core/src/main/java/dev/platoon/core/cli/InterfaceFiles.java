package dev.platoon.core.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where an interface's files live, and how {@code platoon up ARG} finds its configuration, the way
 * wg-quick does: ARG is a NAME (looked up as /etc/platoon/NAME.conf, then /etc/wireguard/NAME.conf) or a
 * path to a {@code NAME.conf} file; the interface is named after the file.
 */
public final class InterfaceFiles {
    /** wg-quick's rule for interface names: at most 15 characters of this set (IFNAMSIZ - 1). */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_=+.-]{1,15}");

    static final List<Path> CONFIG_DIRS = List.of(Path.of("/etc/platoon"), Path.of("/etc/wireguard"));

    private final Path runDir;
    private final Path logDir;

    public InterfaceFiles(Path runDir, Path logDir) {
        this.runDir = runDir;
        this.logDir = logDir;
    }

    public static InterfaceFiles system() {
        String run = System.getenv().getOrDefault("PLATOON_RUN_DIR", "/run/platoon");
        String log = System.getenv().getOrDefault("PLATOON_LOG_DIR", "/var/log/platoon");
        return new InterfaceFiles(Path.of(run), Path.of(log));
    }

    /** The configuration file for a NAME or path argument; throws with one line if there is none. */
    public static Path resolveConfig(String argument) {
        if (NAME.matcher(argument).matches() && !argument.endsWith(".conf")) {
            for (Path dir : CONFIG_DIRS) {
                Path candidate = dir.resolve(argument + ".conf");
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
            throw new IllegalArgumentException("no configuration for '" + argument + "' in /etc/platoon or"
                    + " /etc/wireguard (looked for " + argument + ".conf)");
        }
        Path path = Path.of(argument);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(argument + ": no such configuration file");
        }
        interfaceName(path); // validates the name early
        return path.toAbsolutePath().normalize();
    }

    /** The interface name a configuration file gives: its file name without {@code .conf}. */
    public static String interfaceName(Path configFile) {
        String file = configFile.getFileName().toString();
        String name = file.endsWith(".conf") ? file.substring(0, file.length() - 5) : file;
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(configFile + ": the interface name '" + name
                    + "' must be 1-15 characters of a-z A-Z 0-9 _ = + . -");
        }
        return name;
    }

    public static void requireValidName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not an interface name"
                    + " (1-15 characters of a-z A-Z 0-9 _ = + . -)");
        }
    }

    public Path pidFile(String name) {
        return runDir.resolve(name + ".pid");
    }

    public Path statusFile(String name) {
        return runDir.resolve(name + ".status");
    }

    /** What undoes the host changes of a running interface ({@code UndoJournal}). */
    public Path undoFile(String name) {
        return runDir.resolve(name + ".undo");
    }

    public Path logFile(String name) {
        return logDir.resolve(name + ".log");
    }

    public Path runDir() {
        return runDir;
    }

    public Path logDir() {
        return logDir;
    }
}
