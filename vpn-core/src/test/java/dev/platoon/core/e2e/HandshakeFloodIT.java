package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.platoon.core.demo.InNamespace;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.crypto.CookieGenerator;
import dev.platoon.crypto.Handshake;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.StaticIdentity;

/**
 * A flood of handshake initiations with a valid MAC1 (anyone who knows the public key can make them)
 * from a third address, at the responder's listen port, while the legitimate initiator rekeys every
 * few seconds and sends a TCP stream: the rekeys must still complete under the flood, the responder's
 * handshake queue must never overflow (the flood is answered, within limits, before it), and the stream
 * must keep a share of its idle rate, and the flood must have gone to the handshake socket, not to the
 * queue loops. The share is asserted loosely: FloodBench records the real figure.
 */
class HandshakeFloodIT {
    private static final String ATTACKER = "192.0.2.3";
    private static final int RATE = 30_000;            // initiations a second
    private static final int MAX_FLOOD_SECONDS = 40;   // the flood stops by itself after this at the latest
    private static final int REKEY_AFTER_SECONDS = 3;
    private static final int REKEY_TIMEOUT_MS = 1500;
    private static final long BYTES = 2L << 30;        // more than fits in the seconds below
    private static final int SECONDS = 8;
    private static final Pattern HANDSHAKE_SOCKET = Pattern.compile("handshake socket: ([0-9]+) datagrams");

    @Test
    void rekeysCompleteAndDataFlowsUnderAnInitiationFlood() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-flood")) {
            Side initiator = bed.a;
            Side responder = bed.b;
            E2e.startPlatoon(bed, responder, false, List.of());
            E2e.startPlatoon(bed, initiator, true, List.of("--rekey-after-seconds=" + REKEY_AFTER_SECONDS,
                    "--rekey-timeout-ms=" + REKEY_TIMEOUT_MS));
            E2e.assertPing(bed, initiator, false, E2e.FIRST_PING);
            double idle = gbps(E2e.transfer(bed, initiator, responder, BYTES, SECONDS, 5301));

            bed.net.exec(initiator.namespace, Duration.ofSeconds(5), "ip", "address", "add", ATTACKER + "/24",
                    "dev", "veth0").orThrow();
            PlatoonStatus before = E2e.status(initiator);
            AtomicBoolean stop = new AtomicBoolean();
            InetSocketAddress target = new InetSocketAddress(responder.outerAddress, TunnelBed.LISTEN_PORT);
            CompletableFuture<Long> flood = CompletableFuture.supplyAsync(() -> {
                try {
                    return InNamespace.call(initiator.namespace, () -> flood(target, responder.publicKey, stop));
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
                stop.set(true);
            }
            long sent = flood.get(MAX_FLOOD_SECONDS + 10, TimeUnit.SECONDS);
            PlatoonStatus victim = E2e.status(responder);
            Matcher steered = HANDSHAKE_SOCKET.matcher(victim.text());
            assertTrue(steered.find(), "no handshake socket:\n" + victim.text());
            long onHandshakeSocket = Long.parseLong(steered.group(1));
            System.out.printf("[e2e] initiation flood of %d at %d/s: TCP %.3f Gb/s against %.3f idle (%.2f), "
                            + "handshakes %d -> %d, cookie replies held back %d, %d datagrams on the handshake socket%n",
                    sent, RATE, underFlood, idle, underFlood / idle, before.handshakesCompleted(),
                    during.handshakesCompleted(), victim.drop("cookie_reply_limited"), onHandshakeSocket);
            // All of the flood but what the kernel may have dropped at the socket went to the handshake socket.
            assertTrue(onHandshakeSocket >= sent / 2, onHandshakeSocket + " of " + sent + " on the handshake socket");
            assertEquals(0, victim.drop("handshake_queue_full"), "the queue overflowed:\n" + victim.text());
            assertTrue(victim.drop("cookie_reply_limited") > 0, "the flood was not held back:\n" + victim.text());
            assertTrue(underFlood > 0.1 * idle, "TCP under the flood " + underFlood + " Gb/s, idle " + idle);
            E2e.assertPing(bed, initiator, false, E2e.PING);
        }
    }

    private static double gbps(E2e.Transfer t) {
        return t.sent().bytes() * 8 / t.received().seconds() / 1e9;
    }

    /** Paced forged initiations from {@link #ATTACKER} until {@code stop} or the time bound; returns how many. */
    private static long flood(InetSocketAddress target, byte[] victimKey, AtomicBoolean stop) throws Exception {
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
        long sent = 0;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(ATTACKER, 0));
            ch.connect(target);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(MAX_FLOOD_SECONDS);
            long now;
            while (!stop.get() && (now = System.nanoTime()) < end) {
                long due = (now - start) * RATE / 1_000_000_000L;
                if (sent >= due) {
                    LockSupport.parkNanos(200_000);
                    continue;
                }
                for (; sent < due; sent++) {
                    ByteBuffer m = messages[(int) (sent % messages.length)].clear();
                    try {
                        ch.write(m);
                    } catch (java.io.IOException refused) {
                        // ECONNREFUSED after an ICMP error: keep pacing, the count says what was tried
                    }
                }
            }
        }
        return sent;
    }
}
