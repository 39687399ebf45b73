package dev.platoon.testkit;

import java.time.Duration;

/** Waiting on a condition with a deadline: the one way tests synchronise with something asynchronous. */
public final class Wait {
    /** A condition polled until it holds; it may throw (a process gone, a file unreadable). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private static final long POLL_MILLIS = 20;

    private Wait() {
    }

    /**
     * Polls {@code condition} until it holds; at the deadline throws an {@link AssertionError} naming
     * {@code what} was awaited. An exception from the condition ends the wait at once.
     */
    public static void until(Duration timeout, String what, Condition condition) {
        if (!within(timeout, condition)) {
            throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
        }
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; whether it held. */
    public static boolean within(Duration timeout, Condition condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!condition.holds()) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                Thread.sleep(POLL_MILLIS);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
