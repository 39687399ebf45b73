package dev.platoon.crypto;

/**
 * The receive-side sliding window of RFC 6479 (as wireguard-go's replay.Filter): a ring of 64-bit
 * blocks; moving forward clears whole blocks, so the cost does not grow with the jump. It remembers
 * the {@value #WINDOW_SIZE} counters behind the newest one. Counters are unsigned.
 *
 * <p>One per keypair, shared by every receive thread: a short {@code synchronized} section is the
 * one lock on the receive path (check-and-set must be atomic, or two threads could both accept one
 * counter). Call it only AFTER the packet authenticated, or a forger could advance the window.
 */
public final class ReplayWindow {
    private static final int BLOCK_BITS_LOG = 6;
    private static final int BLOCK_BITS = 1 << BLOCK_BITS_LOG;
    private static final int RING_BLOCKS = 64;
    /** Counters older than the newest by more than this are refused. */
    public static final int WINDOW_SIZE = (RING_BLOCKS - 1) * BLOCK_BITS;
    private static final int BLOCK_MASK = RING_BLOCKS - 1;
    private static final int BIT_MASK = BLOCK_BITS - 1;

    private final long[] ring = new long[RING_BLOCKS];
    private long last;

    /**
     * Accepts {@code counter} once: false if it was seen, is too old for the window, or is at or past
     * {@code limit} (unsigned; normally {@link Protocol#REJECT_AFTER_MESSAGES}).
     */
    public synchronized boolean accept(long counter, long limit) {
        if (Long.compareUnsigned(counter, limit) >= 0) {
            return false;
        }
        long indexBlock = counter >>> BLOCK_BITS_LOG;
        if (Long.compareUnsigned(counter, last) > 0) {
            long current = last >>> BLOCK_BITS_LOG;
            long diff = indexBlock - current;
            if (Long.compareUnsigned(diff, RING_BLOCKS) > 0) {
                diff = RING_BLOCKS;
            }
            for (long i = current + 1; i <= current + diff; i++) {
                ring[(int) (i & BLOCK_MASK)] = 0;
            }
            last = counter;
        } else if (Long.compareUnsigned(last - counter, WINDOW_SIZE) > 0) {
            return false;
        }
        int block = (int) (indexBlock & BLOCK_MASK);
        long bit = 1L << (counter & BIT_MASK);
        long old = ring[block];
        ring[block] = old | bit;
        return (old & bit) == 0;
    }

    public boolean accept(long counter) {
        return accept(counter, Protocol.REJECT_AFTER_MESSAGES);
    }

    /** Forgets everything (a new keypair starts from counter 0). */
    public synchronized void reset() {
        java.util.Arrays.fill(ring, 0);
        last = 0;
    }
}
