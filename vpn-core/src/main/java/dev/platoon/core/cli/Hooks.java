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
    /**
     * A hook that runs longer says so this often: the sign of progress a detaching {@code up} waits on
     * (it gives up on a child that shows none for 30 s), and what the person at the terminal sees.
     */
    private static final long STILL_RUNNING_SECONDS = 10;
    /** The hook command running now, so that a teardown can stop it (one hook runs at a time). */
    private static volatile Process running;
    /** Set by {@link #stopRunning}: the command it stopped is not reported as failed. */
    private static volatile boolean stopping;

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
                running = p;
                boolean finished = false;
                try {
                    for (long waited = 0; waited < TIMEOUT_SECONDS && !finished; waited += STILL_RUNNING_SECONDS) {
                        finished = p.waitFor(Math.min(STILL_RUNNING_SECONDS, TIMEOUT_SECONDS - waited), TimeUnit.SECONDS);
                        if (!finished && waited + STILL_RUNNING_SECONDS < TIMEOUT_SECONDS) {
                            err.println("platoon: " + ifname + ": " + stage + " still running after "
                                    + (waited + STILL_RUNNING_SECONDS) + " s: " + expanded);
                            err.flush();
                        }
                    }
                } finally {
                    running = null;
                }
                if (!finished) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    err.println("platoon: " + ifname + ": " + stage + " command timed out after "
                            + TIMEOUT_SECONDS + " s: " + expanded);
                    return false;
                }
                if (p.exitValue() != 0 && stopping) {
                    return false; // stopped by the teardown, which said so
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

    /**
     * Stops the hook command running now, and what it started (an {@code up} torn down in the middle of
     * PostUp); returns its command line, or null when none runs.
     */
    static String stopRunning() {
        Process p = running;
        if (p == null || !p.isAlive()) {
            return null;
        }
        stopping = true;
        String what = p.info().commandLine().orElse("a hook");
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return what;
    }
}
