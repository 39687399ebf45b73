package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class LowPriorityTest {
    /** The trial's thread, and only it, ends up at nice 19 (field 19 of /proc/self/task/TID/stat). */
    @Test
    void lowersOnlyTheCallingThread() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            boolean ok = LowPriority.lowerThisThread();
            try {
                seen.set(ok + " " + nice(Path.of("/proc/thread-self/stat")));
            } catch (Exception e) {
                seen.set(e.toString());
            }
        });
        t.join(10_000);
        assertEquals("true 19", seen.get());
        assertTrue(nice(Path.of("/proc/thread-self/stat")) != 19, "the test thread was lowered too");
    }

    private static int nice(Path stat) throws Exception {
        String s = Files.readString(stat);
        String[] fields = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]); // field 19 overall; fields[0] is field 3 (state)
    }
}
