package dev.platoon.core.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What an interface changed on the host beyond its own link — policy rules, nftables tables, resolvconf
 * records — written down as the commands that undo it ({@code /run/platoon/NAME.undo}), each as soon as
 * the change is made and struck out as soon as it is undone. The routes and addresses go with the link,
 * which the kernel removes when the process ends however it ends; these do not. So when a process dies
 * without its teardown (kill -9, a crash, a detached {@code up} that had to kill it), the next
 * {@code up} or {@code down} of the name replays the file: nothing it left stays, and nothing is added
 * twice. The file names the network namespace it was written in and is only replayed there (the rules
 * of a namespace that is gone went with it).
 *
 * <p>One command a line, its words separated by tabs; the first line is {@code netns INODE}.
 */
public final class UndoJournal {
    /** Records nothing: a device without a run folder (tests, the benchmark). */
    static final UndoJournal NONE = new UndoJournal(null);

    private final Path file;
    private final List<List<String>> undo = new ArrayList<>();

    private UndoJournal(Path file) {
        this.file = file;
    }

    static UndoJournal at(Path file) {
        return file == null ? NONE : new UndoJournal(file);
    }

    /** A change was made; {@code command} undoes it. */
    synchronized void added(List<String> command) {
        if (file != null) {
            undo.add(List.copyOf(command));
            write();
        }
    }

    /** {@code command} ran (or was tried): it is nobody's to undo any more. */
    synchronized void undone(List<String> command) {
        if (file != null && undo.remove(command)) {
            write();
        }
    }

    private void write() {
        try {
            if (undo.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            StringBuilder text = new StringBuilder("netns\t").append(netns()).append('\n');
            for (List<String> c : undo) {
                text.append(String.join("\t", c)).append('\n');
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Device.LOG.warning("cannot record what undoes the interface's rules in " + file + ": " + Device.oneLine(e));
        }
    }

    /**
     * Undoes what a process that is gone left, newest first, each command announced as wg-quick's are; a
     * failing one is one line and the rest go on. Deletes the file. Returns how many commands there were
     * (0 when there is no file, or it is another namespace's).
     */
    public static int replay(Path file, String ifname) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return 0;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            Device.LOG.warning("cannot remove " + file + ": " + Device.oneLine(e));
        }
        if (lines.isEmpty() || !lines.getFirst().equals("netns\t" + netns())) {
            return 0;
        }
        Host host = Host.system();
        List<String> commands = lines.subList(1, lines.size());
        for (int i = commands.size() - 1; i >= 0; i--) {
            List<String> argv = List.of(commands.get(i).split("\t"));
            if (!isUndo(argv)) {
                host.log("platoon: " + ifname + ": not replaying '" + String.join(" ", argv) + "' from " + file);
                continue;
            }
            try {
                host.run(argv, null);
            } catch (DeviceException e) {
                host.log("platoon: " + ifname + ": " + e.getMessage());
            }
        }
        return commands.size();
    }

    /** Only the deletions this class writes are ever run from the file, whatever else it may hold. */
    private static boolean isUndo(List<String> argv) {
        return argv.size() >= 4 && ((argv.get(0).equals("ip") && argv.get(2).equals("rule") && argv.get(3).equals("delete"))
                || (argv.get(0).equals("nft") && argv.get(1).equals("delete") && argv.get(2).equals("table"))
                || (argv.get(0).equals("resolvconf") && argv.get(1).equals("-d")));
    }

    /** This process's network namespace: the inode of /proc/self/ns/net. */
    private static String netns() {
        try {
            Object key = Files.readAttributes(Path.of("/proc/self/ns/net"),
                    java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            return String.valueOf(key);
        } catch (IOException e) {
            return "unknown";
        }
    }
}
