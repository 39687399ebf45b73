package dev.platoon.core.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(now::get);

    /** The same sequence as wireguard-go's ratelimiter_test.go, on a frozen clock. */
    @Test
    void burstThenRefillPerSource() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < RateLimiter.PACKETS_BURSTABLE; i++) {
            assertTrue(limiter.allow(a), "initial burst " + i);
        }
        assertFalse(limiter.allow(a), "after burst");
        now.addAndGet(RateLimiter.PACKET_COST);
        assertTrue(limiter.allow(a), "refilled one packet");
        assertFalse(limiter.allow(a), "not refilled enough");
        now.addAndGet(2 * RateLimiter.PACKET_COST);
        assertTrue(limiter.allow(a));
        assertTrue(limiter.allow(a), "second of a two-packet burst");
        assertFalse(limiter.allow(a));
    }

    @Test
    void sourcesAreIndependentIncludingIpv6() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1"), b = InetAddress.getByName("2001:db8::1");
        for (int i = 0; i < RateLimiter.PACKETS_BURSTABLE; i++) {
            assertTrue(limiter.allow(a));
        }
        assertFalse(limiter.allow(a));
        assertTrue(limiter.allow(b));
    }

    @Test
    void longIdleRefillsOnlyUpToTheBurst() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        assertTrue(limiter.allow(a));
        now.addAndGet(500_000_000L); // would be 10 packets of credit, capped at 5
        int allowed = 0;
        while (limiter.allow(a)) {
            allowed++;
        }
        assertEquals(RateLimiter.PACKETS_BURSTABLE, allowed);
    }

    @Test
    void idleEntriesAreSweptAfterASecond() throws Exception {
        limiter.allow(InetAddress.getByName("192.0.2.1"));
        limiter.allow(InetAddress.getByName("192.0.2.2"));
        assertEquals(2, limiter.size());
        now.addAndGet(600_000_000L);
        limiter.allow(InetAddress.getByName("192.0.2.2"));
        now.addAndGet(600_000_000L);
        limiter.allow(InetAddress.getByName("192.0.2.3")); // triggers the sweep: .1 idle 1.2 s, .2 idle 0.6 s
        assertEquals(2, limiter.size());
    }
}
