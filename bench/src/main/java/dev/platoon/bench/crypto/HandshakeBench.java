package dev.platoon.bench.crypto;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.platoon.crypto.CookieChecker;
import dev.platoon.crypto.CookieGenerator;
import dev.platoon.crypto.Handshake;
import dev.platoon.crypto.HandshakeException;
import dev.platoon.crypto.InitiationResult;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.StaticIdentity;

/** Cost of the handshake steps that run on the handshake executor (X25519 dominates). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HandshakeBench {
    StaticIdentity alice;
    StaticIdentity bob;
    Handshake initiator;
    CookieGenerator macs;
    CookieChecker checker;
    byte[] initiation = new byte[Protocol.MESSAGE_INITIATION_SIZE];
    byte[] out = new byte[Protocol.MESSAGE_INITIATION_SIZE];

    @Setup
    public void setup() throws HandshakeException {
        alice = StaticIdentity.generate();
        bob = StaticIdentity.generate();
        initiator = new Handshake(alice, bob.publicKey(), null);
        macs = new CookieGenerator(bob.publicKey());
        checker = new CookieChecker(bob);
        initiator.createInitiation(1, initiation, 0);
        macs.addMacs(initiation, initiation.length);
    }

    @Benchmark
    public byte[] createInitiation() throws HandshakeException {
        initiator.createInitiation(2, out, 0);
        return out;
    }

    @Benchmark
    public InitiationResult consumeInitiation() throws HandshakeException {
        return Handshake.consumeInitiation(bob, initiation, 0);
    }

    @Benchmark
    public boolean checkMac1() {
        return checker.checkMac1(initiation, initiation.length);
    }
}
