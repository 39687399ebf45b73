package dev.platoon.core.drop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.platoon.crypto.HandshakeException;
import dev.platoon.tun.DropReason;

/** The registry is the one vocabulary: the docs' table is it, and every outside reason maps into it. */
class DropDocsTest {
    private static final Path PAGE = Path.of("../docs/operations.md");
    private static final String START = "<!-- drop reasons: generated from dev.platoon.core.drop.Drop -->";
    private static final String END = "<!-- end of drop reasons -->";

    /** The table docs/operations.md must hold, row by row. */
    static String table() {
        StringBuilder t = new StringBuilder("| reason | counted in | what happened |\n| --- | --- | --- |\n");
        for (Drop d : Drop.values()) {
            t.append("| `").append(d.label()).append("` | ").append(d.where().name().toLowerCase(Locale.ROOT)
                    .replace('_', ' ')).append(" | ").append(d.meaning()).append(" |\n");
        }
        return t.toString();
    }

    @Test
    void theOperationsPageListsExactlyTheRegistry() throws Exception {
        String page = Files.readString(PAGE);
        int start = page.indexOf(START);
        int end = page.indexOf(END);
        assertTrue(start >= 0 && end > start, "docs/operations.md has no generated drop table");
        assertEquals(table(), page.substring(start + START.length(), end).strip() + "\n",
                "docs/operations.md's drop table differs from Drop; the table to put there is above");
    }

    @Test
    void labelsAreUniqueAndEveryOutsideReasonHasAName() {
        Set<String> labels = new HashSet<>();
        for (Drop d : Drop.values()) {
            assertTrue(labels.add(d.label()), "two reasons named " + d.label());
            assertTrue(d.label().matches("[a-z0-9_]+"), d.label());
        }
        for (DropReason r : DropReason.values()) {
            assertEquals(Drop.Where.TUN, Drop.split(r).where(), r.name());
        }
        for (HandshakeException.Reason r : HandshakeException.Reason.values()) {
            assertEquals(Drop.Where.HANDSHAKE, Drop.refused(r).where(), r.name());
        }
    }
}
