package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.platoon.core.demo.Shell;

/** platoon(8) and the bash completion, generated from the command specs. */
class GeneratedDocsTest {
    private static final Set<String> MACROS = Set.of(".TH", ".SH", ".TP", ".B", ".I", ".BR", ".RI", ".RS", ".RE", ".br");

    @Test
    void manualPageNamesEveryVisibleCommandAndOption() {
        CliRunner.Result r = CliRunner.run(new byte[0], "generate", "man");
        assertEquals(0, r.exitCode(), r.err());
        String man = r.out();
        assertTrue(man.startsWith(".TH PLATOON 8 "), man);
        for (CliCommand c : Main.commands()) {
            boolean listed = man.contains(".B platoon " + ManualPage.escape(c.spec().name) + "\n")
                    || man.contains(".B platoon " + ManualPage.escape(c.spec().name) + " ");
            assertEquals(!c.spec().isHidden(), listed, c.spec().name + " in the manual");
        }
        assertTrue(man.contains("[\\-\\-foreground]"), "up's options");
        assertFalse(man.contains("rekey"), "hidden options stay out");
        for (String line : man.lines().toList()) {
            if (line.startsWith(".") || line.startsWith("'")) {
                assertTrue(MACROS.contains(line.split(" ")[0]), "unknown request: " + line);
            }
        }
    }

    @Test
    void bashCompletionCompletesCommandsOptionsAndConfigs() throws Exception {
        CliRunner.Result r = CliRunner.run(new byte[0], "generate", "bash-completion");
        assertEquals(0, r.exitCode(), r.err());
        Path script = Files.createTempFile("platoon-completion", ".bash");
        Path dir = Files.createTempDirectory("completion");
        try {
            Files.writeString(script, r.out());
            Files.writeString(dir.resolve("wg7.conf"), "");
            assertEquals("up", complete(script, dir, "platoon u"));
            assertEquals("--foreground", complete(script, dir, "platoon up --fo"));
            assertEquals("--metrics=", complete(script, dir, "platoon up --me"));
            assertEquals(dir.resolve("wg7.conf").toString(), complete(script, dir, "platoon up " + dir + "/w"));
            assertEquals("syncconf", complete(script, dir, "platoon help sy"));
        } finally {
            Files.deleteIfExists(dir.resolve("wg7.conf"));
            Files.deleteIfExists(dir);
            Files.deleteIfExists(script);
        }
    }

    /** What bash offers for the last word of {@code line}. */
    private static String complete(Path script, Path dir, String line) {
        String program = "source " + script + "; COMP_WORDS=(" + line + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ));"
                + " _platoon; echo \"${COMPREPLY[*]}\"";
        Shell.Result r = Shell.run(Duration.ofSeconds(10), "bash", "-c", program);
        assertEquals(0, r.exitCode(), r.stderr());
        return r.stdout().strip();
    }
}
