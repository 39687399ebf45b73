package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** A failed demo shows the end of each log and names a folder that still exists, with the logs only. */
class DemoLogsTest {
    @Test
    void tailsOnStderrAndACopyThatOutlivesTheScratchFolder() throws Exception {
        Path work = Files.createTempDirectory("demo-work");
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            lines.add("line " + i);
        }
        Files.write(work.resolve("pta1.log"), lines);
        Files.writeString(work.resolve("pta1.conf"), "PrivateKey = secret\n");
        StringWriter text = new StringWriter();
        DemoLogs.keep(work, new PrintWriter(text));
        for (Path f : List.of(work.resolve("pta1.log"), work.resolve("pta1.conf"), work)) {
            Files.delete(f); // what the demo's cleanup does
        }
        String err = text.toString();
        assertTrue(err.contains("last lines of pta1.log:\n    line 13\n"), err);
        assertTrue(err.contains("    line 20\n"), err);
        assertFalse(err.contains("line 12\n"), err);
        Matcher m = Pattern.compile("the whole logs are kept in (\\S+)").matcher(err);
        assertTrue(m.find(), err);
        Path kept = Path.of(m.group(1));
        try {
            assertEquals(lines, Files.readAllLines(kept.resolve("pta1.log")));
            assertFalse(Files.exists(kept.resolve("pta1.conf")), "configurations hold keys: not kept");
        } finally {
            Files.deleteIfExists(kept.resolve("pta1.log"));
            Files.deleteIfExists(kept);
        }
    }
}
