package dev.platoon.bench.hotpath;

import java.nio.ByteBuffer;
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

import dev.platoon.core.routing.AllowedIps;
import dev.platoon.config.IpPrefix;

/**
 * The per-frame route lookup of {@code OutboundPath}: longest-prefix match of the destination of an
 * IP header in a direct buffer against an {@link AllowedIps} of {@code prefixes} entries (one peer
 * per prefix: a quarter /32 hosts, the rest /16–/24 networks, plus a /0 default, IPv4 and IPv6 alike),
 * for 1024 different destinations taken in turn so the branch predictor cannot learn one path.
 * Every destination matches some prefix. Must allocate nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AllowedIpsBench {
    static final int DESTINATIONS = 1024;
    static final int STRIDE = 64; // one IP header per 64 bytes

    @Param({"1000"})
    int prefixes;

    AllowedIps<Object> table;
    ByteBuffer v4;
    ByteBuffer v6;
    int next;

    @Setup
    public void setup() throws Exception {
        Random r = new Random(1000);
        table = new AllowedIps<>();
        table.insert(IpPrefix.parse("0.0.0.0/0"), new Object());
        table.insert(IpPrefix.parse("::/0"), new Object());
        byte[][] v4Hosts = new byte[prefixes][];
        byte[][] v6Hosts = new byte[prefixes][];
        for (int i = 0; i < prefixes; i++) {
            byte[] a4 = {10, (byte) r.nextInt(256), (byte) r.nextInt(256), (byte) (1 + r.nextInt(254))};
            int bits4 = i % 4 == 0 ? 32 : 16 + r.nextInt(9);
            table.insert(IpPrefix.of(a4, bits4), new Object());
            v4Hosts[i] = a4;
            byte[] a6 = new byte[16];
            r.nextBytes(a6);
            a6[0] = (byte) 0xfd;
            int bits6 = i % 4 == 0 ? 128 : 48 + r.nextInt(17);
            table.insert(IpPrefix.of(a6, bits6), new Object());
            v6Hosts[i] = a6;
        }
        v4 = ByteBuffer.allocateDirect(DESTINATIONS * STRIDE);
        v6 = ByteBuffer.allocateDirect(DESTINATIONS * STRIDE);
        for (int i = 0; i < DESTINATIONS; i++) {
            int o = i * STRIDE;
            v4.put(o, (byte) 0x45).put(o + 16, v4Hosts[r.nextInt(prefixes)]);
            v6.put(o, (byte) 0x60).put(o + 24, v6Hosts[r.nextInt(prefixes)]);
            if (table.lookup(v4, o) == null || table.lookup(v6, o) == null) {
                throw new IllegalStateException("destination " + i + " has no route");
            }
        }
    }

    @Benchmark
    public Object lookupV4() {
        int o = (next++ & (DESTINATIONS - 1)) * STRIDE;
        return table.lookup(v4, o);
    }

    @Benchmark
    public Object lookupV6() {
        int o = (next++ & (DESTINATIONS - 1)) * STRIDE;
        return table.lookup(v6, o);
    }
}
