package dev.platoon.core.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code platoon} command line. Each subcommand lives in its own class in this package and declares
 * what it accepts in a {@link CommandSpec}; {@link ArgParser} and {@link Help} do the rest. Hand-written
 * rather than picocli: picocli's reflection over annotations cost 0.2-0.3 s of every JVM start, twice
 * for a detaching {@code platoon up}.
 */
public final class Main {
    static final CommandSpec TOP = CommandSpec.of("platoon", "A userspace WireGuard endpoint that moves packets in trains.")
            .param("COMMAND", true, null);

    private Main() {
    }

    public static void main(String[] args) {
        // Netty's leak detector wraps a sample of buffers in another class: the hot path's call sites
        // turn polymorphic and C2 keeps deoptimising them. Tests (which call run) keep it on.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        // Netty 4.2's pooled allocator emits JFR events, and the first chunk it allocates registers them:
        // that starts JFR's whole metadata repository (~0.1 s of CPU) on the first packet a fresh device
        // sends, in the middle of its first handshake. The JVM's own JFR events stay; -Dio.netty.jfr.enabled=true
        // (PLATOON_JAVA_OPTS) brings Netty's back for a profiling session.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        // Netty names channels after a MAC address it searches the interfaces for; in a namespace with
        // only lo (containers, tests) it finds none and logs a WARNING at the user. Channel ids only need
        // to differ between processes, so a random machine id does, and skips the search. Not a secret:
        // ThreadLocalRandom, so that every command (genkey, show, ...) does not set up a SecureRandom for it.
        if (System.getProperty("io.netty.machineId") == null) {
            byte[] id = new byte[8];
            java.util.concurrent.ThreadLocalRandom.current().nextBytes(id);
            id[0] |= 0x02; // locally administered, as a made-up MAC should be
            id[0] &= (byte) 0xfe; // unicast
            System.setProperty("io.netty.machineId", java.util.HexFormat.ofDelimiter(":").formatHex(id));
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        OneLineLogging.install();
        // System.out/err as they are now, not when the class was loaded: tests swap them around each call.
        PrintWriter out = writer(System.out);
        PrintWriter err = writer(System.err);
        try {
            return run(args, commands(), out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Every command, in the order the help lists them; help last. */
    static List<CliCommand> commands() {
        List<CliCommand> commands = new ArrayList<>();
        commands.add(new UpCommand());
        commands.add(new DownCommand());
        commands.add(new ShowCommand());
        commands.add(new SyncConfCommand());
        commands.add(new PeerCommand());
        commands.add(new DemoCommand());
        commands.add(NewKeyCommand.genKey());
        commands.add(new PubKeyCommand());
        commands.add(NewKeyCommand.genPsk());
        commands.add(new TransferCommand());
        commands.add(new EchoCommand());
        commands.add(new GenerateCommand(TOP, commands));
        commands.add(new HelpCommand(TOP, commands));
        return commands;
    }

    /** The command called {@code name}; an unknown name is a usage error of the top level. */
    static CliCommand command(List<CliCommand> commands, String name) throws UsageException {
        for (CliCommand c : commands) {
            if (c.spec().name.equals(name)) {
                return c;
            }
        }
        throw new UsageException(null, "unknown command '" + name + "'");
    }

    /** Usage errors: two lines on stderr, exit 2. Failures: one line, exit 1. Never a stack trace. */
    static int run(String[] args, List<CliCommand> commands, PrintWriter out, PrintWriter err) {
        try {
            ParsedArgs top = ArgParser.parseUpToCommand(TOP, args);
            if (top.helpRequested()) {
                Help.main(TOP, commands, out);
                return 0;
            }
            if (top.versionRequested()) {
                out.println(version());
                return 0;
            }
            CliCommand command = command(commands, top.param(0));
            ParsedArgs parsed = ArgParser.parse(command.spec(), args, top.end());
            if (parsed.helpRequested()) {
                Help.command(command.spec(), out);
                return 0;
            }
            if (parsed.versionRequested()) {
                out.println(version());
                return 0;
            }
            return command.run(parsed, out, err);
        } catch (UsageException e) {
            err.println(e.line());
            err.println(e.hint());
            return 2;
        } catch (Exception | LinkageError e) {
            // LinkageError too: a missing native library or a failed static initialiser is the
            // machine's problem, to be told in one line like any other.
            err.println("platoon: " + oneLine(e));
            return 1;
        }
    }

    /** Flushes each line, as the log readers (the demo, the detaching parent, tests) need. */
    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, stream.charset()), true);
    }

    /** {@code platoon 0.1.0}: the jar manifest's Implementation-Version, or "dev" from the classes folder. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return "platoon " + (v == null ? "dev" : v);
    }

    static String oneLine(Throwable ex) {
        if (ex instanceof java.nio.file.AccessDeniedException e) {
            return e.getFile() + ": " + (e.getReason() != null ? e.getReason()
                    : "permission denied (platoon up needs root or CAP_NET_ADMIN)");
        }
        if (ex instanceof java.nio.file.NoSuchFileException e) {
            return e.getFile() + ": no such file or directory";
        }
        if (ex instanceof java.nio.file.FileSystemException e) {
            return e.getFile() + ": " + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason());
        }
        String message = ex.getMessage();
        if (message == null || message.isBlank()) {
            message = ex.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message);
    }
}
