package dev.platoon.core.demo;

import java.io.IOException;
import java.time.Duration;

/** Waiting on a condition with a deadline — never a bare sleep as synchronisation. */
public final class Waits {
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws IOException;
    }

    private Waits() {
    }

    /** Polls every 50 ms until the condition holds; throws naming what was awaited at the deadline. */
    public static void until(Duration timeout, String what, Condition condition) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what);
            }
        }
    }
}
