package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ArgParser} against a spec of its own: every rule, and each error's exact one line. */
class ArgParserTest {
    static final CommandSpec SPEC = CommandSpec.of("try", "A command to parse.")
            .param("FIRST", true, null)
            .param("SECOND", false, null)
            .option(OptionSpec.flag("--quiet", "no output"))
            .option(OptionSpec.number("--count", "N", 1, 64, "how many"))
            .option(OptionSpec.number("--big", "N", 0, Long.MAX_VALUE, "bytes"))
            .option(OptionSpec.text("--name", "WHO", "a name"))
            .option(OptionSpec.number("--knob", "N", -5, 5, null).hidden());

    static final CommandSpec NEEDS = CommandSpec.of("needs", "A required option.")
            .option(OptionSpec.text("--address", "ADDRESS", "where").required());

    static ParsedArgs parse(CommandSpec spec, String... args) throws UsageException {
        return ArgParser.parse(spec, args, 0);
    }

    static String error(CommandSpec spec, String... args) {
        return assertThrows(UsageException.class, () -> parse(spec, args)).line();
    }

    @Test
    void valuesWithSpaceOrEquals() throws UsageException {
        ParsedArgs a = parse(SPEC, "--count", "4", "--name=a=b", "x");
        assertEquals(4, a.integer("--count"));
        assertEquals("a=b", a.text("--name"), "only the first = separates");
        ParsedArgs b = parse(SPEC, "--count=4", "--name", "a=b", "x");
        assertEquals(4, b.integer("--count"));
        assertEquals("a=b", b.text("--name"));
        assertEquals("", parse(SPEC, "--name=", "x").text("--name"), "an empty value is a value");
    }

    @Test
    void optionsAndParametersInAnyOrder() throws UsageException {
        ParsedArgs a = parse(SPEC, "one", "--quiet", "two", "--big", "9000000000");
        assertEquals("one", a.param(0));
        assertEquals("two", a.param(1));
        assertTrue(a.flag("--quiet"));
        assertEquals(9_000_000_000L, a.longValue("--big", 0));
        assertEquals(2, a.paramCount());
    }

    @Test
    void absentOptionsAndOptionalParameters() throws UsageException {
        ParsedArgs a = parse(SPEC, "one");
        assertFalse(a.flag("--quiet"));
        assertNull(a.integer("--count"));
        assertEquals(7, a.integer("--count", 7));
        assertEquals(-1L, a.longValue("--big", -1));
        assertNull(a.text("--name"));
        assertNull(a.param(1));
        assertFalse(a.helpRequested());
        assertFalse(a.versionRequested());
    }

    @Test
    void doubleDashEndsOptionsAndADashAloneIsAParameter() throws UsageException {
        ParsedArgs a = parse(SPEC, "--", "--quiet", "-x");
        assertEquals("--quiet", a.param(0));
        assertEquals("-x", a.param(1));
        assertFalse(a.flag("--quiet"));
        assertEquals("-", parse(SPEC, "-").param(0));
    }

    @Test
    void hiddenOptionsAreAcceptedAndNegativeValuesAreValues() throws UsageException {
        assertEquals(-5, parse(SPEC, "--knob", "-5", "x").integer("--knob"));
        assertEquals(3, parse(SPEC, "--knob=+3", "x").integer("--knob"));
    }

    @Test
    void helpAndVersionStopParsingAndSkipMissingChecks() throws UsageException {
        assertTrue(parse(SPEC, "--help").helpRequested(), "FIRST is missing, help wins");
        assertTrue(parse(SPEC, "-h").helpRequested());
        assertTrue(parse(SPEC, "x", "--help", "--no-such-option").helpRequested());
        assertTrue(parse(NEEDS, "--help").helpRequested(), "a required option is missing, help wins");
        assertTrue(parse(SPEC, "-V").versionRequested());
        assertTrue(parse(SPEC, "--version").versionRequested());
        ParsedArgs both = parse(SPEC, "-hV");
        assertTrue(both.helpRequested());
    }

    @Test
    void theTopLevelStopsAtTheCommandName() throws UsageException {
        String[] argv = {"-V", "up", "--queues", "2"};
        ParsedArgs version = ArgParser.parseUpToCommand(Main.TOP, argv);
        assertTrue(version.versionRequested());
        String[] up = {"up", "--queues", "2"};
        ParsedArgs top = ArgParser.parseUpToCommand(Main.TOP, up);
        assertEquals("up", top.param(0));
        assertEquals(1, top.end());
        UsageException e = assertThrows(UsageException.class, () -> ArgParser.parseUpToCommand(Main.TOP, new String[0]));
        assertEquals("platoon: missing COMMAND", e.line());
        assertEquals("Try 'platoon --help'.", e.hint());
    }

    @Test
    void errorsPointAtTheCommandsHelp() {
        UsageException e = assertThrows(UsageException.class, () -> parse(SPEC));
        assertEquals("platoon: try: missing FIRST", e.line());
        assertEquals("Try 'platoon try --help'.", e.hint());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--bogus x                | platoon: try: unknown option '--bogus'",
            "--bogus=1 x              | platoon: try: unknown option '--bogus'",
            "-x x                     | platoon: try: unknown option '-x'",
            "-hx                      | platoon: try: unknown option '-hx'",
            "--Quiet x                | platoon: try: unknown option '--Quiet'",
            "x y z                    | platoon: try: unexpected argument 'z'",
            "--quiet                  | platoon: try: missing FIRST",
            "x --count                | platoon: try: --count needs a value (N)",
            "x --count --quiet        | platoon: try: --count needs a value (N)",
            "x --name                 | platoon: try: --name needs a value (WHO)",
            "x --count two            | platoon: try: --count must be a whole number in 1..64, not 'two'",
            "x --count=0              | platoon: try: --count must be a whole number in 1..64, not '0'",
            "x --count=65             | platoon: try: --count must be a whole number in 1..64, not '65'",
            "x --count=1.5            | platoon: try: --count must be a whole number in 1..64, not '1.5'",
            "x --big=-1               | platoon: try: --big must be a whole number of at least 0, not '-1'",
            "x --big=9223372036854775808 | platoon: try: --big must be a whole number of at least 0, not '9223372036854775808'",
            "x --knob=6               | platoon: try: --knob must be a whole number in -5..5, not '6'",
            "x --quiet=yes            | platoon: try: --quiet takes no value",
            "x --count 2 --count=3    | platoon: try: --count given more than once",
    })
    void usageErrorsAreOneExactLine(String argv, String expected) {
        assertEquals(expected, error(SPEC, argv.strip().split(" +")));
    }

    @Test
    void anEmptyNumberIsNotANumber() {
        assertEquals("platoon: try: --count must be a whole number in 1..64, not ''", error(SPEC, "x", "--count="));
    }

    @Test
    void aRequiredOptionMissing() throws UsageException {
        assertEquals("platoon: needs: missing --address=ADDRESS", error(NEEDS));
        assertEquals("10.0.0.1", parse(NEEDS, "--address", "10.0.0.1").text("--address"));
    }

    @Test
    void usageErrorsCarryNoStackTrace() {
        UsageException e = assertThrows(UsageException.class, () -> parse(SPEC));
        assertEquals(0, e.getStackTrace().length);
    }

    @Test
    void upPassesItsValuesToTheForegroundChild() throws UsageException {
        ParsedArgs a = parse(UpCommand.SPEC, "--queues", "2", "--foreground", "--metrics=9586",
                "--rekey-timeout-ms", "100", "wg0.conf");
        assertEquals(List.of("--queues=2", "--metrics=9586", "--rekey-timeout-ms=100"), UpCommand.passThroughArgs(a));
        assertEquals(List.of(), UpCommand.passThroughArgs(parse(UpCommand.SPEC, "wg0")));
    }

    @Test
    void upPassesItsFlagsButForegroundToTheChild() throws UsageException {
        ParsedArgs a = parse(UpCommand.SPEC, "--tap", "--foreground", "wg0.conf");
        assertEquals(List.of("--tap"), UpCommand.passThroughArgs(a));
    }
}
