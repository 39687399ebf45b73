package dev.platoon.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProcTest {
    @Test
    void capturesOutputInputAndExit() {
        Proc.Result r = Proc.run(Duration.ofSeconds(10), "hello\n", Proc.envWith("WHO", "kit"),
                "sh", "-c", "cat; echo \"$WHO\"; echo oops >&2; exit 3");
        assertEquals(3, r.exitCode());
        assertEquals("hello\nkit", r.out());
        assertEquals("oops\n", r.stderr());
        IllegalStateException e = assertThrows(IllegalStateException.class, r::orThrow);
        assertTrue(e.getMessage().contains("exit 3") && e.getMessage().contains("oops"), e.getMessage());
    }

    @Test
    void aCommandPastItsDeadlineIsKilledAndReported() {
        long t0 = System.nanoTime();
        Proc.Result r = Proc.run(Duration.ofMillis(300), "sleep", "30");
        assertEquals(Proc.TIMED_OUT, r.exitCode());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "killed, not waited for");
    }

    @Test
    void waitReturnsOnceTheConditionHoldsAndFailsNamingItAtTheDeadline() {
        AtomicInteger polls = new AtomicInteger();
        Wait.until(Duration.ofSeconds(5), "three polls", () -> polls.incrementAndGet() >= 3);
        assertEquals(3, polls.get());
        AssertionError e = assertThrows(AssertionError.class,
                () -> Wait.until(Duration.ofMillis(50), "never", () -> false));
        assertTrue(e.getMessage().contains("never"), e.getMessage());
    }
}
