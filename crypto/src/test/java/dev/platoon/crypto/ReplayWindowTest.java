package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    static final int W = ReplayWindow.WINDOW_SIZE;

    @Test
    void windowIsAtLeast2048() {
        assertTrue(W >= 2048, "window " + W);
    }

    @Test
    void inOrderAcceptedOnceEach() {
        ReplayWindow w = new ReplayWindow();
        for (long c = 0; c < 10_000; c++) {
            assertTrue(w.accept(c));
            assertFalse(w.accept(c), "replay of " + c);
        }
    }

    @Test
    void outOfOrderInsideTheWindowAcceptedOnce() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.accept(5000));
        assertTrue(w.accept(5000 - W), "oldest counter still in the window");
        assertFalse(w.accept(5000 - W - 1), "just outside the window");
        assertTrue(w.accept(4999));
        assertTrue(w.accept(3000));
        assertFalse(w.accept(3000));
        assertFalse(w.accept(0), "far behind");
    }

    @Test
    void bigJumpForgetsEverythingBehind() {
        ReplayWindow w = new ReplayWindow();
        for (long c = 0; c < 100; c++) {
            assertTrue(w.accept(c));
        }
        assertTrue(w.accept(1_000_000));
        assertFalse(w.accept(99));
        assertTrue(w.accept(1_000_000 - 1));
        assertTrue(w.accept(1_000_000 - 64));
        assertFalse(w.accept(1_000_000));
    }

    @Test
    void limitIsRefusedAndCountersAreUnsigned() {
        ReplayWindow w = new ReplayWindow();
        assertFalse(w.accept(Protocol.REJECT_AFTER_MESSAGES));
        assertFalse(w.accept(-1L), "2^64-1 is past the limit");
        assertTrue(w.accept(Protocol.REJECT_AFTER_MESSAGES - 1));
        assertFalse(w.accept(Protocol.REJECT_AFTER_MESSAGES - 1));
        assertFalse(w.accept(5), "far behind an unsigned-huge counter");
        assertTrue(w.accept(Protocol.REJECT_AFTER_MESSAGES - 2));
    }

    @Test
    void matchesASimpleModelOnRandomTraffic() {
        Random r = new Random(42);
        ReplayWindow w = new ReplayWindow();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        long max = -1;
        for (int i = 0; i < 50_000; i++) {
            long c = Math.max(0, max + r.nextInt(200) - 150 - (r.nextInt(20) == 0 ? W : 0));
            boolean expected = !seen.contains(c) && (max < 0 || c > max || max - c <= W);
            assertEquals(expected, w.accept(c), "counter " + c + " after max " + max);
            if (expected) {
                seen.add(c);
                max = Math.max(max, c);
            }
        }
    }

    @Test
    void concurrentReceiversNeverAcceptACounterTwice() throws Exception {
        ReplayWindow w = new ReplayWindow();
        java.util.Set<Long> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        int n = 20_000;
        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (long c = 0; c < n; c++) {
                    if (w.accept(c) && !accepted.add(c)) {
                        duplicates.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertEquals(0, duplicates.get());
        assertTrue(accepted.size() > n / 2, "accepted " + accepted.size());
    }
}
