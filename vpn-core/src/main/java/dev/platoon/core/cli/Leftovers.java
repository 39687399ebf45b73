package dev.platoon.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.platoon.core.device.UndoJournal;
import dev.platoon.core.uapi.UapiServer;

/**
 * What a process serving NAME left when it ended without its teardown (kill -9, a crash, a detached
 * {@code up} that had to kill it): the policy rules, nftables tables and resolvconf record written down
 * in {@code NAME.undo} ({@link UndoJournal}), a control socket nobody listens on, the status and pid
 * files. {@code up} clears them before it makes anything, {@code down} and the detaching {@code up}
 * after a process that is gone. Only called holding NAME's lock ({@link PidFile}): never under a process
 * that is still coming up.
 */
final class Leftovers {
    private Leftovers() {
    }

    /** Removes them, saying in one line what there was (nothing at all when there was nothing). */
    static boolean clear(InterfaceFiles files, String name, PrintWriter err) {
        List<String> found = new ArrayList<>();
        Path undo = files.undoFile(name);
        boolean rules = Files.exists(undo);
        if (rules) {
            found.add("the rules it added");
        }
        if (Files.exists(files.pidFile(name))) {
            found.add("its pid file");
        }
        if (Files.exists(files.statusFile(name))) {
            found.add("its status file");
        }
        boolean socket = Files.exists(UapiServer.socketPath(UapiServer.DEFAULT_DIRECTORY, name));
        if (found.isEmpty() && !socket) {
            return false;
        }
        if (socket && UapiServer.removeStale(name)) {
            found.add("its control socket");
        }
        if (found.isEmpty()) {
            return false; // a live socket: someone else serves the name, and up says so
        }
        err.println("platoon: " + name + ": its last process is gone; removing " + String.join(", ", found));
        err.flush();
        if (rules) {
            UndoJournal.replay(undo, name);
        }
        for (Path file : List.of(files.statusFile(name), files.pidFile(name))) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                err.println("platoon: " + name + ": cannot remove " + file + ": " + Main.oneLine(e));
            }
        }
        err.flush();
        return true;
    }
}
