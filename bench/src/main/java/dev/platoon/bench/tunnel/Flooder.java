package dev.platoon.bench.tunnel;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Base64;
import java.util.concurrent.locks.LockSupport;

import dev.platoon.crypto.CookieGenerator;
import dev.platoon.crypto.Handshake;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.StaticIdentity;

/**
 * The attacker of {@link FloodBench}, run as its own process in a namespace: sends datagrams of one kind
 * to HOST:PORT at a paced rate for a bounded time, then prints how many it sent. Kinds:
 * <ul>
 *   <li>{@code junk}: 32 bytes of an unknown message type, dropped by the receiver at the first byte;</li>
 *   <li>{@code initiation}: handshake initiations with a valid MAC1 for the target's public key (anyone
 *       who knows the key can make them) from a key the target does not know, so each one costs the
 *       target its Diffie-Hellman work unless it is under load and answers with a cookie instead.</li>
 * </ul>
 * usage: {@code Flooder HOST PORT junk|initiation RATE SECONDS TARGET_PUBLIC_KEY [SOURCE_ADDRESS,...]}:
 * with several source addresses (each one of the namespace's own) the datagrams take turns among them,
 * as a flood from many hosts — or from spoofed addresses — would arrive.
 */
public final class Flooder {
    private static final int DISTINCT_INITIATIONS = 256;

    private Flooder() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: Flooder HOST PORT junk|initiation RATE SECONDS TARGET_PUBLIC_KEY [SOURCE_ADDRESS,...]");
            System.exit(2);
        }
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        long rate = Long.parseLong(args[3]);
        long seconds = Math.min(Long.parseLong(args[4]), 600); // bounded whatever it is asked
        ByteBuffer[] messages = switch (args[2]) {
            case "junk" -> junk();
            case "initiation" -> initiations(Base64.getDecoder().decode(args[5]));
            default -> throw new IllegalArgumentException("unknown kind " + args[2]);
        };
        long sent = 0;
        String[] sources = args.length > 6 ? args[6].split(",") : new String[] {null};
        DatagramChannel[] channels = new DatagramChannel[sources.length];
        try {
            for (int i = 0; i < sources.length; i++) {
                channels[i] = DatagramChannel.open();
                if (sources[i] != null) {
                    channels[i].bind(new InetSocketAddress(sources[i], 0)); // not the legitimate peer's address
                }
                channels[i].connect(target);
            }
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            long now;
            while ((now = System.nanoTime()) < end) {
                long due = (now - start) * rate / 1_000_000_000L;
                if (sent >= due) {
                    LockSupport.parkNanos(50_000);
                    continue;
                }
                while (sent < due) {
                    ByteBuffer m = messages[(int) (sent % messages.length)];
                    m.clear();
                    try {
                        channels[(int) (sent % channels.length)].write(m);
                    } catch (java.io.IOException refused) {
                        // ECONNREFUSED from an earlier ICMP: the target is not listening (yet); keep pacing.
                    }
                    sent++;
                }
            }
        } finally {
            for (DatagramChannel ch : channels) {
                if (ch != null) {
                    ch.close();
                }
            }
        }
        System.out.println("sent " + sent);
    }

    private static ByteBuffer[] junk() {
        ByteBuffer b = ByteBuffer.allocateDirect(32);
        b.put(0, (byte) 0x42);
        return new ByteBuffer[] {b};
    }

    private static ByteBuffer[] initiations(byte[] targetPublicKey) throws Exception {
        StaticIdentity stranger = StaticIdentity.generate();
        CookieGenerator macs = new CookieGenerator(targetPublicKey);
        ByteBuffer[] out = new ByteBuffer[DISTINCT_INITIATIONS];
        for (int i = 0; i < out.length; i++) {
            byte[] msg = new byte[Protocol.MESSAGE_INITIATION_SIZE];
            try (Handshake h = new Handshake(stranger, targetPublicKey, null)) {
                h.createInitiation(0x1000 + i, msg, 0);
            }
            macs.addMacs(msg, msg.length);
            out[i] = ByteBuffer.allocateDirect(msg.length).put(msg);
        }
        return out;
    }
}
