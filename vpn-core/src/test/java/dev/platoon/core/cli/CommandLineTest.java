package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole command line through {@link Main#run}: exit codes, which stream, the exact lines. */
class CommandLineTest {

    static CliRunner.Result run(String... args) {
        return CliRunner.run("", args);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "'' ; platoon: missing COMMAND ; platoon --help",
            "nosuch ; platoon: unknown command 'nosuch' ; platoon --help",
            "--bogus ; platoon: unknown option '--bogus' ; platoon --help",
            "help nosuch ; platoon: unknown command 'nosuch' ; platoon --help",
            "up ; platoon: up: missing CONFIG ; platoon up --help",
            "up a b ; platoon: up: unexpected argument 'b' ; platoon up --help",
            "up --bogus a ; platoon: up: unknown option '--bogus' ; platoon up --help",
            "up --queues x a ; platoon: up: --queues must be a whole number in 1..64, not 'x' ; platoon up --help",
            "up --queues=65 a ; platoon: up: --queues must be a whole number in 1..64, not '65' ; platoon up --help",
            "up a --queues ; platoon: up: --queues needs a value (N) ; platoon up --help",
            "up a --foreground=yes ; platoon: up: --foreground takes no value ; platoon up --help",
            "up a --keepalive-seconds=0 ; platoon: up: --keepalive-seconds must be a whole number in 1..2147483647, not '0' ; platoon up --help",
            "down ; platoon: down: missing NAME|CONFIG ; platoon down --help",
            "show a b ; platoon: show: unexpected argument 'b' ; platoon show --help",
            "syncconf wg0 ; platoon: syncconf: missing FILE ; platoon syncconf --help",
            "demo --seconds=0 ; platoon: demo: --seconds must be a whole number in 1..30, not '0' ; platoon demo --help",
            "genkey extra ; platoon: genkey: unexpected argument 'extra' ; platoon genkey --help",
            "transfer send ; platoon: transfer: missing --address=ADDRESS ; platoon transfer --help",
            "transfer both --address 127.0.0.1 ; platoon: transfer: MODE must be send or recv, not 'both' ; platoon transfer --help",
            "transfer send --address=::1 --port=0 ; platoon: transfer: --port must be a whole number in 1..65535, not '0' ; platoon transfer --help",
    })
    void usageErrorsAreOneLineAndAHintOnStderrExit2(String argv, String line, String help) {
        String[] args = argv.isEmpty() ? new String[0] : argv.split(" +");
        CliRunner.Result r = run(args);
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals(List.of(line, "Try '" + help + "'."), r.errLines());
        assertEquals("", r.out());
    }

    @Test
    void helpGoesToStdoutAndListsTheVisibleCommands() {
        CliRunner.Result r = run("--help");
        assertEquals(0, r.exitCode());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("Usage: platoon [-hV] COMMAND\n"), r.out());
        for (String command : List.of("up", "down", "show", "syncconf", "demo", "genkey", "pubkey", "genpsk", "help")) {
            assertTrue(r.out().contains("\n  " + command + " "), command + " in:\n" + r.out());
        }
        assertFalse(r.out().contains("transfer"), "hidden: " + r.out());
        assertEquals(r.out(), run("-h").out());
        assertEquals(r.out(), run("help").out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"up", "down", "show", "syncconf", "demo", "genkey", "pubkey", "genpsk", "transfer", "help"})
    void helpCommandEqualsDashDashHelp(String command) {
        CliRunner.Result help = run("help", command);
        assertEquals(0, help.exitCode());
        assertEquals("", help.err());
        assertTrue(help.out().startsWith("Usage: platoon " + command + " [-hV]"), help.out());
        assertEquals(help.out(), run(command, "--help").out());
        assertEquals(help.out(), run(command, "-h").out());
        for (String line : help.outLines()) {
            assertTrue(line.length() <= Help.WIDTH, "longer than " + Help.WIDTH + ": " + line);
        }
    }

    @Test
    void upHelpShowsItsOptionsButNotTheHiddenOnes() {
        String help = run("up", "--help").out();
        for (String shown : List.of("CONFIG", "--foreground", "--queues=N", "--metrics=[HOST:]PORT", "-h, --help",
                "-V, --version")) {
            assertTrue(help.contains(shown), shown + " in:\n" + help);
        }
        for (String hidden : List.of("--rekey-after-seconds", "--rekey-timeout-ms", "--rekey-attempt-seconds",
                "--keepalive-seconds")) {
            assertFalse(help.contains(hidden), hidden + " in:\n" + help);
        }
    }

    @Test
    void hiddenOptionsAreAccepted() {
        // Parsed (not exit 2), then up fails on the missing file: exit 1 before it touches anything.
        CliRunner.Result r = run("up", "--rekey-after-seconds=5", "--rekey-timeout-ms", "100",
                "--rekey-attempt-seconds=3", "--keepalive-seconds", "2", "/nonexistent/pt0.conf");
        assertEquals(1, r.exitCode(), r.err());
        assertEquals(List.of("platoon: /nonexistent/pt0.conf: no such configuration file"), r.errLines());
    }

    @Test
    void versionEverywhere() {
        CliRunner.Result r = run("--version");
        assertEquals(0, r.exitCode());
        assertEquals("", r.err());
        assertEquals(List.of(Main.version()), r.outLines());
        assertTrue(Main.version().startsWith("platoon "), Main.version());
        assertEquals(r.out(), run("-V").out());
        assertEquals(r.out(), run("genkey", "--version").out());
    }

    @Test
    void executionErrorsAreOneLineExit1() {
        CliRunner.Result r = run("show", "no/such");
        assertEquals(1, r.exitCode());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.errLines().getFirst().startsWith("platoon: 'no/such' is not an interface name"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void everyCommandIsFoundByItsName() throws UsageException {
        List<CliCommand> commands = Main.commands();
        for (CliCommand c : commands) {
            assertSame(c, Main.command(commands, c.spec().name));
            assertNotNull(c.spec().summary);
        }
        assertEquals("help", commands.getLast().spec().name);
    }
}
