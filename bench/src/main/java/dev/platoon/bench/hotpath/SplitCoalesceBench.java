package dev.platoon.bench.hotpath;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.platoon.tun.GroCoalescer;
import dev.platoon.tun.GsoSplitter;
import dev.platoon.tun.SegmentSlots;
import dev.platoon.tun.SplitResult;
import dev.platoon.tun.VirtioNetHdr;

/**
 * One 64 KiB TCPv4 train through tun-io, per operation: {@code split} cuts the frame a tun queue
 * reads during a bulk transfer (47 segments of gso_size 1368, MTU 1420) into slots with fresh IPv4
 * and TCP checksums, as {@code OutboundPath} does before sealing; {@code coalesce} feeds those 47
 * decrypted segments back through {@link GroCoalescer} and flushes the one train into a writer that
 * only checks it, as {@code InboundPath} does per GRO batch. ns/op is per train: divide by 47 for
 * the cost per packet. {@code coalesceTrusting} is the same through
 * {@link GroCoalescer#trustingChecksums}, which skips the per-segment checksum pass. All must allocate nothing ({@code -prof gc}: gc.alloc.rate.norm ~ 0).
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar hotpath
 * -f 1 -wi 2 -i 3 -w 1s -r 2s -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SplitCoalesceBench {
    static final int GSO_SIZE = 1368;
    static final int SEGMENTS = 47;
    static final int MTU = 1420;

    ByteBuffer frame;
    int frameLength;
    GsoSplitter splitter;
    SegmentSlots slots;
    SplitResult result;
    GroCoalescer coalescer;
    GroCoalescer trusting;
    int lastWritten;

    @Setup
    public void setup() {
        frame = ByteBuffer.allocateDirect(VirtioNetHdr.SIZE + 65535);
        frameLength = TcpTrain.write(frame, GSO_SIZE, SEGMENTS);
        splitter = new GsoSplitter(false);
        slots = new SegmentSlots(64, MTU);
        result = new SplitResult(64);
        coalescer = new GroCoalescer(true, (buf, off, len) -> lastWritten = len);
        trusting = GroCoalescer.trustingChecksums(true, (buf, off, len) -> lastWritten = len);
        if (!splitter.split(frame, 0, frameLength, slots, result) || result.count() != SEGMENTS) {
            throw new IllegalStateException("train not split: " + result.dropReason() + ", " + result.count());
        }
        for (int i = 0; i < SEGMENTS; i++) {
            if (result.length(i) != MTU) {
                throw new IllegalStateException("segment " + i + " is " + result.length(i) + " bytes");
            }
        }
        // The segments in the slots stay as split: coalesce reads them and never changes them.
        for (GroCoalescer c : new GroCoalescer[] {coalescer, trusting}) {
            coalesce(c);
            if (c.trainsOut() != 1 || c.segmentsInTrains() != SEGMENTS || lastWritten != frameLength) {
                throw new IllegalStateException("segments did not coalesce back into one train: trains "
                        + c.trainsOut() + ", segments " + c.segmentsInTrains() + ", " + lastWritten + " B");
            }
        }
    }

    @Benchmark
    public int split() {
        splitter.split(frame, 0, frameLength, slots, result);
        return result.count();
    }

    @Benchmark
    public int coalesce() {
        return coalesce(coalescer);
    }

    @Benchmark
    public int coalesceTrusting() {
        return coalesce(trusting);
    }

    private int coalesce(GroCoalescer c) {
        for (int i = 0; i < SEGMENTS; i++) {
            c.add(slots.buffer(i), slots.offset(i), MTU);
        }
        c.flush();
        return lastWritten;
    }
}
