package dev.platoon.core.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The command line that starts this same program again (same java, same flags, same class path), or, when
 * {@value #JAR_PROPERTY} names a platoon jar, that jar the way the launcher starts it: with its start-up
 * cache when one fits (the tunnel benchmark runs from its own jar but measures platoon as users get it).
 */
public final class JavaCommand {
    /** System property: the platoon jar the children run instead of this JVM's class path. */
    public static final String JAR_PROPERTY = "platoon.jar";
    /** The java launcher's options whose value is the next argument (libjli's IsWhiteSpaceOption). */
    private static final Set<String> TAKES_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p",
            "--module-path", "--upgrade-module-path", "--add-modules", "--enable-native-access", "--limit-modules",
            "--add-exports", "--add-opens", "--add-reads", "--patch-module", "-d", "--describe-module", "--source");
    private static final Set<String> CLASS_PATH = Set.of("-cp", "-classpath", "--class-path");

    private JavaCommand() {
    }

    /**
     * {@code java <this JVM's flags> -cp <class path> dev.platoon.core.cli.Main args...}; with
     * {@value #JAR_PROPERTY} set, {@code -cp} is that jar, preceded by {@code -XX:AOTCache=} its start-up
     * cache when {@link #startUpCache} finds one and the flags choose no cache of their own.
     */
    public static List<String> platoon(List<String> args) {
        List<String> cmd = new ArrayList<>();
        // java.home's java when there is one, else the process's own command.
        Path launcher = Path.of(System.getProperty("java.home"), "bin", "java");
        cmd.add(Files.isExecutable(launcher) ? launcher.toString()
                : ProcessHandle.current().info().command().orElse("java"));
        boolean nativeAccess = false;
        boolean aot = false;
        for (String flag : jvmFlags()) {
            // Debug agents and JDWP ports would clash between two children; leave them out.
            if (!flag.startsWith("-agentlib") && !flag.startsWith("-javaagent") && !flag.startsWith("-Xrunjdwp")) {
                cmd.add(flag);
                nativeAccess |= flag.startsWith("--enable-native-access");
                aot |= flag.startsWith("-XX:AOTCache=") || flag.startsWith("-XX:AOTMode=");
            }
        }
        if (!nativeAccess) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar != null && !aot) {
            startUpCache(Path.of(jar)).ifPresent(cache -> cmd.add("-XX:AOTCache=" + cache));
        }
        cmd.add("-cp");
        cmd.add(jar != null ? jar : System.getProperty("java.class.path"));
        cmd.add("dev.platoon.core.cli.Main");
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The start-up cache of {@code jar} for this JVM, by the launcher's rule: {@code NAME.aot} beside
     * {@code NAME.jar}, newer than the jar, and trained by this Java ({@code NAME.aot.java} holds its home).
     * The JVM itself checks the rest (the jar's size and time, the options that matter) and runs without a
     * cache that does not match; a missing one would cost an error line, hence the check here.
     */
    public static Optional<Path> startUpCache(Path jar) {
        String name = jar.getFileName().toString();
        Path cache = jar.resolveSibling(name.replaceFirst("\\.jar$", "") + ".aot");
        Path trainedBy = cache.resolveSibling(cache.getFileName() + ".java");
        try {
            if (Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) > 0
                    && Path.of(Files.readString(trainedBy).strip()).toRealPath()
                            .equals(Path.of(System.getProperty("java.home")).toRealPath())) {
                return Optional.of(cache);
            }
        } catch (IOException | InvalidPathException e) {
            // no cache, no record of its Java, or a Java that is gone: run without one
        }
        return Optional.empty();
    }

    /**
     * This JVM's flags. From the process's own command line when the java launcher started it: that
     * costs a read of /proc/self/cmdline, where the RuntimeMXBean loads and starts java.management
     * (15-40 ms of a detaching {@code platoon up}). Other launchers (jpackage's takes its flags from a
     * file) and argument files hide flags from the command line; then the MXBean says.
     */
    static List<String> jvmFlags() {
        String[] argv = ProcessHandle.current().info().arguments().orElse(null);
        String javaCommand = System.getProperty("sun.java.command");
        List<String> flags = argv == null || javaCommand == null ? null : launcherFlags(argv, javaCommand);
        return flags != null ? flags : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    /**
     * The JVM flags at the front of a java launcher's arguments (argv without argv[0]), without the class
     * path (the child gets its own -cp); or null when they cannot be told apart for sure. The launcher
     * sets {@code sun.java.command} to what follows the flags (the main class or the -jar's file, then
     * the program's arguments, joined by spaces): the split is only trusted when the two agree.
     */
    public static List<String> launcherFlags(String[] argv, String javaCommand) {
        List<String> flags = new ArrayList<>();
        int i = 0;
        while (i < argv.length) {
            String a = argv[i];
            if (a.startsWith("@")) {
                return null; // an argument file: what it holds is not on the command line
            }
            if (!a.startsWith("-") || a.equals("-jar")) {
                break; // the main class, or -jar FILE
            }
            if (a.equals("-m") || a.equals("--module") || a.startsWith("--module=")) {
                return null; // a module's main class: not how platoon runs, so not worth guessing
            }
            boolean pair = TAKES_VALUE.contains(a) && i + 1 < argv.length;
            if (!CLASS_PATH.contains(a) && !a.startsWith("--class-path=")) {
                flags.add(a);
                if (pair) {
                    flags.add(argv[i + 1]);
                }
            }
            i += pair ? 2 : 1;
        }
        int main = i < argv.length && argv[i].equals("-jar") ? i + 1 : i;
        if (main >= argv.length || !String.join(" ", List.of(argv).subList(main, argv.length)).equals(javaCommand)) {
            return null;
        }
        return flags;
    }
}
