package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.core.demo.Waits;
import dev.platoon.crypto.CookieGenerator;
import dev.platoon.testkit.NetNs;
import dev.platoon.testkit.UdpFlood;
import dev.platoon.testkit.WireguardGoBinary;

/**
 * Cookie replies from a peer under load: bursts of junk handshake initiations from another port of
 * platoon's address — with a valid MAC1 (the peer's public key is known), so that each costs the peer
 * its Diffie-Hellman before it fails — fill wireguard-go's handshake queue past an eighth, which puts it
 * under load for a second after each burst (junk with a wrong MAC1 is dropped too cheaply: 800,000 of it
 * never got wireguard-go there); an initiation from platoon then gets a cookie reply, and platoon's next
 * initiation, carrying MAC2 from that cookie, must be taken while the peer is still under load. Checked:
 * platoon counts the cookie reply (its metrics), the handshake completes and the tunnel answers.
 */
class PeerUnderLoadIT {
    private static final int METRICS_PORT = 9586;
    /**
     * A burst every {@value #BURST_EVERY_MILLIS} ms. The peer's socket buffer (the kernel default, 208 KiB)
     * takes only a part of each burst, which its handshake threads drain in a few ms, so one burst may or
     * may not lift its queue past an eighth; fifty a second keep it under load (it stays so for a second
     * after each time) whenever platoon's initiation arrives.
     */
    private static final int BURST = 1000;
    private static final long BURST_EVERY_MILLIS = 20;
    private static final long MAX_PACKETS = 400_000; // 148 bytes each: under 60 MB in all
    private static final Duration MAX_TIME = Duration.ofSeconds(40);
    private static final Pattern COOKIES = Pattern.compile("^platoon_cookie_replies_received_total(?:\\{[^}]*\\})? ([0-9.eE+]+)$",
            Pattern.MULTILINE);

    @ParameterizedTest(name = "{0}")
    @EnumSource(WireguardGoBinary.class)
    void cookieReplyFromAPeerUnderLoad(WireguardGoBinary binary) throws Exception {
        java.nio.file.Path wireguardGo = binary.path();
        try (TunnelBed bed = TunnelBed.create("pt-load")) {
            Side platoon = bed.a;
            Side wgGo = bed.b;
            bed.startWireguardGo(wgGo, false, wireguardGo);
            bed.awaitUp(wgGo, E2e.UP);
            E2e.startPlatoon(bed, platoon, true, List.of("--metrics", "127.0.0.1:" + METRICS_PORT));

            InetSocketAddress target = new InetSocketAddress(wgGo.outerAddress, TunnelBed.LISTEN_PORT);
            UdpFlood flooder = new UdpFlood(target, junkInitiation(wgGo.publicKey)).burst(BURST)
                    .rate(BURST * 1000 / BURST_EVERY_MILLIS).maxPackets(MAX_PACKETS).bound(MAX_TIME);
            CompletableFuture<Long> flood = CompletableFuture.supplyAsync(() -> {
                try {
                    return NetNs.call(platoon.namespace, flooder::run);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                Waits.until(Duration.ofSeconds(10), "the junk flood under way", () -> flooder.sent() >= BURST || flood.isDone());
                // The ping makes platoon initiate; it answers once the handshake completed under load.
                assertTrue(bed.ping(platoon, false, Duration.ofSeconds(30)), "no ping answer through the tunnel while "
                        + "wireguard-go was flooded; platoon: " + E2e.logTail(platoon) + "; wireguard-go: "
                        + E2e.logTail(wgGo));
                long cookies = cookiesReceived(bed, platoon);
                System.out.printf("[e2e] %s under a flood of %d junk initiations: %d cookie replies to platoon%n",
                        binary.label, flooder.sent(), cookies);
                assertTrue(cookies >= 1, "platoon received no cookie reply from " + binary.label + " under load ("
                        + flooder.sent() + " junk initiations sent)");
            } finally {
                flooder.stop();
                flood.join();
            }
            E2e.assertPing(bed, wgGo, true, E2e.PING);
            assertTrue(platoon.process.isAlive() && wgGo.process.isAlive(), "both ends still running");
            E2e.interop(binary.label, "IPv4", "cookie reply from the peer under load, handshake completes");
        }
    }

    /** A junk initiation (type 1, 148 bytes, random body) with a valid MAC1: the peer pays for it. */
    private static ByteBuffer junkInitiation(byte[] peerPublicKey) {
        byte[] msg = new byte[148];
        ThreadLocalRandom.current().nextBytes(msg);
        msg[0] = 1;
        msg[1] = msg[2] = msg[3] = 0;
        new CookieGenerator(peerPublicKey).addMacs(msg, msg.length);
        return ByteBuffer.wrap(msg);
    }

    private static long cookiesReceived(TunnelBed bed, Side platoon) {
        String text = bed.net.exec(platoon.namespace, Duration.ofSeconds(10), "curl", "-sS",
                "http://127.0.0.1:" + METRICS_PORT + "/metrics").orThrow().stdout();
        Matcher m = COOKIES.matcher(text);
        assertTrue(m.find(), "no platoon_cookie_replies_received_total in the metrics");
        return (long) Double.parseDouble(m.group(1));
    }
}
