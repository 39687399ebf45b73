package dev.platoon.core.demo;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** The command line that starts this same program again (same java, same flags, same class path). */
public final class JavaCommand {
    private JavaCommand() {
    }

    /** {@code java <this JVM's flags> -cp <class path> dev.platoon.core.cli.Main args...}. */
    public static List<String> platoon(List<String> args) {
        List<String> cmd = new ArrayList<>();
        // java.home's java when there is one; a jpackage runtime may have none, and then the process's
        // own command (the jpackage launcher, which accepts JVM options before the arguments) serves.
        java.nio.file.Path launcher = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java");
        cmd.add(java.nio.file.Files.isExecutable(launcher) ? launcher.toString()
                : ProcessHandle.current().info().command().orElse("java"));
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // Debug agents and JDWP ports would clash between two children; leave them out.
            if (!flag.startsWith("-agentlib") && !flag.startsWith("-javaagent") && !flag.startsWith("-Xrunjdwp")) {
                cmd.add(flag);
            }
        }
        if (cmd.stream().noneMatch(f -> f.startsWith("--enable-native-access"))) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.platoon.core.cli.Main");
        cmd.addAll(args);
        return cmd;
    }
}
