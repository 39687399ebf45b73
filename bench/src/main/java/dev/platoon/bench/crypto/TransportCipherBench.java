package dev.platoon.bench.crypto;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.platoon.crypto.AeadEngines;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.TransportCipher;
import dev.platoon.crypto.TransportKeypair;

/**
 * In-place transport seal/open: platoon's {@link TransportCipher} on each of its engines beside the
 * raw JDK Cipher doing the
 * same (one reusable Cipher, SecretKeySpec reused, a new IvParameterSpec per packet, ByteBuffer
 * doFinal), in heap and direct buffers. Open benchmarks first restore the ciphertext with one copy
 * (decrypting in place destroys it); {@code copyBaseline} measures that copy alone.
 *
 * <p>Run (the two --add-opens let platoon use the JDK stubs, see JdkChaChaIntrinsics): {@code java
 * --enable-native-access=ALL-UNNAMED --add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED
 * --add-opens=java.base/sun.security.util.math=ALL-UNNAMED -jar bench/target/benchmarks.jar crypto
 * -f 1 -wi 2 -i 3 -w 1s -r 2s -prof gc}. MB/s = ops/s x size / 1e6.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TransportCipherBench {
    @Param({"64", "1400", "65535"})
    int size;

    @Param({"heap", "direct"})
    String buffer;

    /** The engine platoon's cipher is pinned to (AeadEngines.Kind labels). */
    @Param({"openssl", "java", "jdk-stubs", "jdk-cipher"})
    String engine;

    static final int OFF = Protocol.MESSAGE_TRANSPORT_HEADER_SIZE;

    TransportKeypair sender;
    TransportKeypair receiver;
    TransportCipher platoon;
    Cipher jdkSeal;
    Cipher jdkOpen;
    SecretKeySpec key;
    ByteBuffer buf;
    ByteBuffer in;
    ByteBuffer out;
    byte[] sealedCopy;
    long counter;
    long openCounter;

    @Setup
    public void setup() throws Exception {
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        for (int i = 0; i < 32; i++) {
            k1[i] = (byte) i;
            k2[i] = (byte) (100 + i);
        }
        sender = new TransportKeypair(k1, k2, 1, 2, true);
        receiver = new TransportKeypair(k2, k1, 2, 1, false);
        platoon = new TransportCipher(AeadEngines.Kind.byLabel(engine));
        jdkSeal = Cipher.getInstance("ChaCha20-Poly1305");
        jdkOpen = Cipher.getInstance("ChaCha20-Poly1305");
        key = new SecretKeySpec(k1, "ChaCha20");
        int cap = OFF + size + Protocol.TAG_LENGTH;
        buf = "direct".equals(buffer) ? ByteBuffer.allocateDirect(cap) : ByteBuffer.allocate(cap);
        in = buf.duplicate();
        out = buf.duplicate();
        // One sealed packet with counter 0 for the open benchmarks (same bytes from both sealers).
        openCounter = 0;
        if (platoon.seal(sender, openCounter, buf, OFF, size) != size + 16) {
            throw new IllegalStateException("seal failed");
        }
        sealedCopy = new byte[size + 16];
        buf.get(OFF, sealedCopy);
        counter = 1;
    }

    static IvParameterSpec nonce(long counter) {
        byte[] n = new byte[12];
        for (int i = 0; i < 8; i++) {
            n[4 + i] = (byte) (counter >>> (8 * i));
        }
        return new IvParameterSpec(n);
    }

    @Benchmark
    public int sealPlatoon() {
        return platoon.seal(sender, counter++, buf, OFF, size);
    }

    @Benchmark
    public int sealJdk() throws Exception {
        jdkSeal.init(Cipher.ENCRYPT_MODE, key, nonce(counter++));
        in.limit(OFF + size).position(OFF);
        out.limit(OFF + size + 16).position(OFF);
        return jdkSeal.doFinal(in, out);
    }

    @Benchmark
    public int openPlatoon() {
        buf.put(OFF, sealedCopy);
        int n = platoon.open(receiver, openCounter, buf, OFF, size + 16);
        if (n != size) {
            throw new IllegalStateException("open failed");
        }
        return n;
    }

    @Benchmark
    public int openJdk() throws Exception {
        buf.put(OFF, sealedCopy);
        jdkOpen.init(Cipher.DECRYPT_MODE, key, nonce(openCounter));
        in.limit(OFF + size + 16).position(OFF);
        out.limit(OFF + size + 16).position(OFF);
        return jdkOpen.doFinal(in, out);
    }

    @Benchmark
    public ByteBuffer copyBaseline() {
        return buf.put(OFF, sealedCopy);
    }
}
