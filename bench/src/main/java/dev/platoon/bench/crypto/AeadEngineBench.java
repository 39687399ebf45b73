package dev.platoon.bench.crypto;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.platoon.crypto.AeadEngineBenchmark;

/**
 * The transport AEAD engines side by side, in place on a heap array: {@code java} (our Poly1305,
 * the JDK's ChaCha20 stub), {@code java-plain} (our Poly1305, plain-Java ChaCha20) and
 * {@code jdk-stubs} (both JDK stubs). Open first restores the ciphertext with one copy.
 *
 * <p>Run: {@code java --add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED
 * --add-opens=java.base/sun.security.util.math=ALL-UNNAMED -jar bench/target/benchmarks.jar
 * AeadEngineBench -f 1 -wi 3 -w 1 -i 5 -r 1}; add {@code -jvmArgsAppend -XX:UseAVX=2} or
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:-UsePoly1305Intrinsics} for a CPU without AVX-512 IFMA.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AeadEngineBench {
    @Param({AeadEngineBenchmark.JAVA, AeadEngineBenchmark.JAVA_PLAIN, AeadEngineBenchmark.JDK_STUBS})
    String engine;

    @Param({"1400"})
    int size;

    static final int OFF = 16; // where the transport header ends

    AeadEngineBenchmark aead;
    byte[] buf;
    byte[] sealedCopy;
    long counter = 1;

    @Setup
    public void setup() {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
        }
        aead = AeadEngineBenchmark.create(engine, key);
        System.out.println("# engine: " + aead.describe());
        buf = new byte[OFF + size + 16];
        if (aead.seal(0, buf, OFF, size) != size + 16) {
            throw new IllegalStateException("seal failed");
        }
        sealedCopy = java.util.Arrays.copyOfRange(buf, OFF, OFF + size + 16);
    }

    @Benchmark
    public int seal() {
        return aead.seal(counter++, buf, OFF, size);
    }

    @Benchmark
    public int open() {
        System.arraycopy(sealedCopy, 0, buf, OFF, size + 16);
        int n = aead.open(0, buf, OFF, size + 16);
        if (n != size) {
            throw new IllegalStateException("open failed");
        }
        return n;
    }
}
