package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.crypto.CookieGenerator;
import dev.platoon.crypto.Handshake;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.StaticIdentity;
import dev.platoon.testkit.NetNs;
import dev.platoon.testkit.UdpFlood;

/**
 * A flood of handshake initiations with a valid MAC1 (anyone who knows the public key can make them)
 * from a third address — or from twenty, in turn, as from many hosts — at the responder's listen port, while the legitimate initiator rekeys every
 * few seconds and sends a TCP stream: the rekeys must still complete under the flood, the responder's
 * handshake queue must never overflow (the flood is answered, within limits, before it), and the stream
 * must keep a share of its idle rate, and the flood must have gone to the handshake socket, not to the
 * queue loops. The share is asserted loosely: FloodBench records the real figure.
 */
class HandshakeFloodIT {
    /** The attacker's addresses: 192.0.2.10 and up, beside the initiator's own on its veth. */
    private static final int FIRST_ATTACKER = 10;
    private static final int RATE = 30_000;            // initiations a second
    private static final int MAX_FLOOD_SECONDS = 40;   // the flood stops by itself after this at the latest
    private static final int REKEY_AFTER_SECONDS = 3;
    private static final int REKEY_TIMEOUT_MS = 1500;
    private static final long BYTES = 2L << 30;        // more than fits in the seconds below
    private static final int SECONDS = 8;
    private static final Pattern HANDSHAKE_SOCKET = Pattern.compile("handshake socket: ([0-9]+) datagrams");
    private static final Pattern KERNEL = Pattern.compile("kernel drops: UDP receive buffer ([0-9]+)");

    @ParameterizedTest(name = "from {0} source address(es)")
    @ValueSource(ints = {1, 20})
    void rekeysCompleteAndDataFlowsUnderAnInitiationFlood(int sources) throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-flood")) {
            Side initiator = bed.a;
            Side responder = bed.b;
            E2e.startPlatoon(bed, responder, false, List.of());
            E2e.startPlatoon(bed, initiator, true, List.of("--rekey-after-seconds=" + REKEY_AFTER_SECONDS,
                    "--rekey-timeout-ms=" + REKEY_TIMEOUT_MS));
            E2e.assertPing(bed, initiator, false, E2e.FIRST_PING);
            double idle = gbps(E2e.transfer(bed, initiator, responder, BYTES, SECONDS, 5301));

            List<String> attackers = new java.util.ArrayList<>();
            for (int i = 0; i < sources; i++) {
                attackers.add("192.0.2." + (FIRST_ATTACKER + i));
                bed.net.exec(initiator.namespace, Duration.ofSeconds(5), "ip", "address", "add",
                        attackers.get(i) + "/24", "dev", "veth0").orThrow();
            }
            PlatoonStatus before = E2e.status(initiator);
            InetSocketAddress target = new InetSocketAddress(responder.outerAddress, TunnelBed.LISTEN_PORT);
            UdpFlood flooder = new UdpFlood(target, initiations(responder.publicKey)).rate(RATE)
                    .bound(Duration.ofSeconds(MAX_FLOOD_SECONDS)).from(attackers);
            CompletableFuture<Long> flood = CompletableFuture.supplyAsync(() -> {
                try {
                    return NetNs.call(initiator.namespace, flooder::run);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            double underFlood;
            PlatoonStatus during;
            try {
                E2e.awaitStatus(responder, E2e.STATUS_LAG, "the responder under handshake load",
                        s -> s.text().contains("under handshake load: yes"));
                underFlood = gbps(E2e.transfer(bed, initiator, responder, BYTES, SECONDS, 5302));
                during = E2e.awaitStatus(initiator, Duration.ofSeconds(20),
                        "a rekey completed during the flood",
                        s -> s.handshakesCompleted() >= before.handshakesCompleted() + 2);
            } finally {
                flooder.stop();
            }
            long sent = flood.get(MAX_FLOOD_SECONDS + 10, TimeUnit.SECONDS);
            // Every datagram of the flood was read by the handshake socket, or dropped by the kernel when that
            // socket's buffer was full (on a busy machine its thread can fall behind): none by the loops.
            PlatoonStatus victim = E2e.awaitStatus(responder, E2e.STATUS_LAG,
                    "the flood counted at the handshake socket or by the kernel",
                    st -> count(HANDSHAKE_SOCKET, st) + count(KERNEL, st) >= sent * 0.98);
            long onHandshakeSocket = count(HANDSHAKE_SOCKET, victim);
            System.out.printf("[e2e] initiation flood of %d at %d/s from %d address(es): TCP %.3f Gb/s against %.3f idle (%.2f), "
                            + "handshakes %d -> %d, cookie replies held back %d, %d datagrams on the handshake socket%n",
                    sent, RATE, sources, underFlood, idle, underFlood / idle, before.handshakesCompleted(),
                    during.handshakesCompleted(), victim.drop("cookie_reply_limited"), onHandshakeSocket);
            assertEquals(0, victim.drop("handshake_queue_full"), "the queue overflowed:\n" + victim.text());
            assertTrue(victim.drop("cookie_reply_limited") > 0, "the flood was not held back:\n" + victim.text());
            assertTrue(underFlood > 0.1 * idle, "TCP under the flood " + underFlood + " Gb/s, idle " + idle);
            E2e.assertPing(bed, initiator, false, E2e.PING);
        }
    }

    private static long count(Pattern p, PlatoonStatus s) {
        Matcher m = p.matcher(s.text());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static double gbps(E2e.Transfer t) {
        return t.sent().bytes() * 8 / t.received().seconds() / 1e9;
    }

    /** Forged initiations with a valid MAC1 from a key the victim does not know: each costs it a Diffie-Hellman. */
    private static ByteBuffer[] initiations(byte[] victimKey) throws Exception {
        StaticIdentity stranger = StaticIdentity.generate();
        CookieGenerator macs = new CookieGenerator(victimKey);
        ByteBuffer[] messages = new ByteBuffer[64];
        for (int i = 0; i < messages.length; i++) {
            byte[] msg = new byte[Protocol.MESSAGE_INITIATION_SIZE];
            try (Handshake h = new Handshake(stranger, victimKey, null)) {
                h.createInitiation(0x1000 + i, msg, 0);
            }
            macs.addMacs(msg, msg.length);
            messages[i] = ByteBuffer.wrap(msg);
        }
        return messages;
    }
}
