package dev.platoon.core.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code platoon} command line. Each subcommand lives in its own class in this package. */
@Command(name = "platoon",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT, // --help on every subcommand too
        versionProvider = Main.Version.class,
        description = "A userspace WireGuard endpoint that moves packets in trains.",
        subcommands = {UpCommand.class, DownCommand.class, ShowCommand.class, SyncConfCommand.class, DemoCommand.class, GenKeyCommand.class,
                PubKeyCommand.class, GenPskCommand.class, TransferCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        // Netty's leak detector wraps a sample of buffers in another class: the hot path's call sites
        // turn polymorphic and C2 keeps deoptimising them. Tests (which call run) keep it on.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
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
        CommandLine cli = new CommandLine(new Main());
        // Errors reach the user as one line, never a stack trace.
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("platoon: " + oneLine(ex));
            return 1;
        });
        cli.setParameterExceptionHandler((ex, args1) -> {
            ex.getCommandLine().getErr().println("platoon: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try 'platoon --help'.");
            return 2;
        });
        return cli.execute(args);
    }

    static String oneLine(Throwable ex) {
        if (ex instanceof java.nio.file.AccessDeniedException e) {
            return e.getFile() + ": permission denied (platoon up needs root or CAP_NET_ADMIN)";
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

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"platoon " + (v == null ? "dev" : v)};
        }
    }
}
