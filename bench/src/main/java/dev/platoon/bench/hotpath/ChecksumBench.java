package dev.platoon.bench.hotpath;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.platoon.tun.InetChecksum;

/**
 * {@link InetChecksum#sum} ({@code after}) against a straightforward ByteBuffer.getLong loop
 * ({@code before}), which spends 17 % of the sender's CPU on checksums in {@code GsoSplitter.split}
 * (about 1.2 GB/s). Sizes: a small packet, a tunnel-MTU
 * segment and a whole 64 KiB train; buffers: heap, direct big-endian (Netty's order) and direct
 * little-endian. The data starts at offset 36, where the TCP header of a segment lies in a
 * {@code SegmentSlots} slot (16 bytes headroom + 20 bytes IPv4), so most words are unaligned.
 * Both must allocate nothing ({@code -prof gc}: gc.alloc.rate.norm ~ 0).
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar
 * ChecksumBench -f 1 -wi 3 -i 3 -w 1s -r 1s -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChecksumBench {
    static final int OFFSET = 36;

    @Param({"64", "1400", "65535"})
    int size;

    @Param({"heap", "direct", "directLE"})
    String buffer;

    ByteBuffer b;

    @Setup
    public void setup() {
        int capacity = OFFSET + size + 8;
        b = buffer.equals("heap") ? ByteBuffer.allocate(capacity) : ByteBuffer.allocateDirect(capacity);
        if (buffer.equals("directLE")) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        }
        byte[] random = new byte[capacity];
        new Random(1).nextBytes(random);
        b.put(0, random);
        long before = baseline(b, OFFSET, size, 0);
        long after = InetChecksum.sum(b, OFFSET, size, 0);
        if (before != after) {
            throw new IllegalStateException("sums differ: " + before + " vs " + after);
        }
    }

    @Benchmark
    public long before() {
        return baseline(b, OFFSET, size, 0);
    }

    @Benchmark
    public long after() {
        return InetChecksum.sum(b, OFFSET, size, 0);
    }

    /** The baseline: 8-byte reads through ByteBuffer.getLong, each with its own bounds check. */
    static long baseline(ByteBuffer b, int off, int len, long initial) {
        long acc = 0;
        int i = off;
        int end = off + len;
        for (; end - i >= 32; i += 32) {
            long w0 = b.getLong(i), w1 = b.getLong(i + 8), w2 = b.getLong(i + 16), w3 = b.getLong(i + 24);
            acc += (w0 >>> 32) + (w0 & 0xffffffffL) + (w1 >>> 32) + (w1 & 0xffffffffL)
                    + (w2 >>> 32) + (w2 & 0xffffffffL) + (w3 >>> 32) + (w3 & 0xffffffffL);
        }
        for (; end - i >= 8; i += 8) {
            long w = b.getLong(i);
            acc += (w >>> 32) + (w & 0xffffffffL);
        }
        if (end - i >= 4) {
            acc += b.getInt(i) & 0xffffffffL;
            i += 4;
        }
        if (end - i >= 2) {
            acc += b.getShort(i) & 0xffffL;
            i += 2;
        }
        boolean big = b.order() == ByteOrder.BIG_ENDIAN;
        if (i < end) {
            int last = b.get(i) & 0xff;
            acc += big ? last << 8 : last;
        }
        int folded = InetChecksum.fold(acc);
        if (!big) {
            folded = Integer.reverseBytes(folded) >>> 16;
        }
        return initial + folded;
    }
}
