package dev.platoon.core.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class IndexTableTest {

    @Test
    void allocateLookupReplaceRemove() {
        IndexTable<String> t = new IndexTable<>();
        String hs = "handshake", kp = "keypair";
        int i = t.allocate(hs);
        assertSame(hs, t.lookup(i));
        assertNull(t.lookup(i + 1));
        assertTrue(t.replace(i, kp));
        assertSame(kp, t.lookup(i));
        assertFalse(t.remove(i, hs), "conditional remove with a stale value");
        assertSame(kp, t.remove(i));
        assertNull(t.lookup(i));
        assertFalse(t.replace(i, kp));
        assertEquals(0, t.size());
    }

    /** A generator that repeats itself forces the "index in use, draw again" path. */
    @Test
    void collidingDrawsAreSkipped() {
        int[] draws = {7, 7, 7, 9};
        int[] n = {0};
        IndexTable<String> t = new IndexTable<>(new Random() {
            @Override
            public int nextInt() {
                return draws[Math.min(n[0]++, draws.length - 1)];
            }
        });
        assertEquals(7, t.allocate("a"));
        assertEquals(9, t.allocate("b"));
        assertEquals("a", t.lookup(7));
        assertEquals("b", t.lookup(9));
    }

    /** Many inserts and removes (growth, tombstones, rehash) against a HashMap. */
    @Test
    void randomisedAgainstHashMap() {
        Random rnd = new Random(42);
        IndexTable<String> t = new IndexTable<>(new Random(7));
        Map<Integer, String> ref = new HashMap<>();
        List<Integer> keys = new ArrayList<>();
        for (int round = 0; round < 50_000; round++) {
            if (rnd.nextInt(3) > 0 || keys.isEmpty()) {
                String v = "v" + round;
                int k = t.allocate(v);
                assertNull(ref.put(k, v));
                keys.add(k);
            } else {
                int k = keys.remove(rnd.nextInt(keys.size()));
                assertSame(ref.remove(k), t.remove(k));
            }
            if (keys.size() > 2000) { // keep it bounded: drain half
                for (int j = 0; j < 1000; j++) {
                    int k = keys.remove(keys.size() - 1);
                    assertSame(ref.remove(k), t.remove(k));
                }
            }
            int probe = rnd.nextBoolean() && !keys.isEmpty() ? keys.get(rnd.nextInt(keys.size())) : rnd.nextInt();
            assertSame(ref.get(probe), t.lookup(probe));
        }
        assertEquals(ref.size(), t.size());
        ref.forEach((k, v) -> assertSame(v, t.lookup(k)));
    }

    /** Readers never miss an entry that stays present while a writer churns others (growth included). */
    @Test
    void concurrentReadersSeeStableEntries() throws Exception {
        IndexTable<String> t = new IndexTable<>();
        String stable = "stable";
        int key = t.allocate(stable);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                if (t.lookup(key) != stable) {
                    failure.set("lost the stable entry");
                }
            }
        });
        reader.start();
        try {
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                mine.add(t.allocate("x"));
                if (mine.size() > 500) {
                    for (int k : mine) {
                        t.remove(k);
                    }
                    mine.clear();
                }
            }
        } finally {
            stop.set(true);
            reader.join(5000);
        }
        assertNull(failure.get());
        assertNotEquals(0, t.size());
    }
}
