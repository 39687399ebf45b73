package dev.platoon.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * wg-quick's PreUp/PostUp/PreDown/PostDown: each command runs with {@code bash -c} (or {@code sh} when
 * bash is missing), {@code %i} replaced by the interface name, its output passed through; a failing
 * PreUp or PostUp stops {@code up}, a failing down hook is reported and teardown goes on.
 */
final class Hooks {
    private static final long TIMEOUT_SECONDS = 60;

    private Hooks() {
    }

    /** Runs the commands in order; returns false (after one line on err) at the first that fails. */
    static boolean run(String stage, List<String> commands, String ifname, PrintWriter err) {
        for (String command : commands) {
            String expanded = command.replace("%i", ifname);
            err.println("[#] " + expanded);
            err.flush();
            try {
                String shell = new java.io.File("/bin/bash").canExecute() ? "/bin/bash" : "/bin/sh";
                Process p = new ProcessBuilder(shell, "-c", expanded).inheritIO().start();
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    err.println("platoon: " + ifname + ": " + stage + " command timed out after "
                            + TIMEOUT_SECONDS + " s: " + expanded);
                    return false;
                }
                if (p.exitValue() != 0) {
                    err.println("platoon: " + ifname + ": " + stage + " command failed (exit " + p.exitValue()
                            + "): " + expanded);
                    return false;
                }
            } catch (IOException e) {
                err.println("platoon: " + ifname + ": " + stage + " command could not start: " + e.getMessage());
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
