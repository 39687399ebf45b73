package dev.platoon.core.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

class NeighbourTableTest {
    private static final long AGEING = 10_000_000_000L;
    private final TapCounters counters = new TapCounters();
    private final NeighbourTable table = new NeighbourTable(4, AGEING, counters);

    @Test
    void aFullTableRefusesNewHostsUntilOldOnesAgeOut() {
        for (int i = 1; i <= 4; i++) {
            table.learn((long) i << 32, 0, 0x0200_0000_0000L | i, 0);
        }
        table.learn(5L << 32, 0, 0x0200_0000_0005L, 1);
        assertNull(table.find(5L << 32, 0));
        assertEquals(1, counters.tableFull.sum());
        table.learn(6L << 32, 0, 0x0200_0000_0006L, AGEING + NeighbourTable.PROBE_INTERVAL_NANOS + 1);
        assertEquals(0x0200_0000_0006L, table.find(6L << 32, 0).mac());
        assertEquals(1, table.size(), "the expired four were dropped on the way");
        assertEquals(5, counters.neighboursLearned.sum());
    }

    @Test
    void addressesReadTheSameFromBuffersOfEitherOrder() {
        byte[] a = {(byte) 0xfd, 0, 0, 0x64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        table.learn(ByteBuffer.wrap(a), 0, true, 0x0200_0000_0001L, 0);
        NeighbourTable.Entry e = table.find(ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN), 0, true);
        assertTrue(table.usable(e, 1));
        assertFalse(table.usable(e, AGEING + 1));
    }

    @Test
    void aProbeGoesOutOncePerIntervalPerAddress() {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {100, 64, 0, 9});
        assertTrue(table.probeDue(b, 0, false, 0));
        assertFalse(table.probeDue(b, 0, false, NeighbourTable.PROBE_INTERVAL_NANOS - 1));
        assertTrue(table.probeDue(b, 0, false, NeighbourTable.PROBE_INTERVAL_NANOS));
        assertFalse(table.usable(table.find(b, 0, false), 0), "no MAC until an answer");
    }
}
