package dev.platoon.bench.tunnel;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import dev.platoon.crypto.CookieGenerator;
import dev.platoon.crypto.Handshake;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.StaticIdentity;
import dev.platoon.testkit.UdpFlood;

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
        List<String> sources = args.length > 6 ? List.of(args[6].split(",")) : List.of();
        long sent = new UdpFlood(target, messages).rate(rate).bound(Duration.ofSeconds(seconds)).from(sources).run();
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
