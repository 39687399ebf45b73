package dev.platoon.core.tap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.platoon.config.IpPrefix;
import dev.platoon.core.routing.AllowedIps;

/** Which addresses a tap answers ARP and neighbour solicitations for. */
class NeighbourTargetsTest {
    private final AllowedIps<String> routes = new AllowedIps<>();
    private final AtomicReference<AllowedIps<String>> plane = new AtomicReference<>();

    @Test
    void routedAddressesAndOwnAreAnsweredNothingElse() throws Exception {
        NeighbourTargets targets = NeighbourTargets.routedOrOwn(plane::get,
                List.of(InetAddress.getByName("100.64.0.1"), InetAddress.getByName("fd00:64::1")));
        // Before the device has routes (a tap answers while it comes up): only its own addresses.
        assertTrue(answers(targets, "100.64.0.1"));
        assertTrue(answers(targets, "fd00:64::1"));
        assertFalse(answers(targets, "100.64.0.2"));

        plane.set(routes);
        routes.insert(IpPrefix.parse("100.64.0.2/32"), "b");
        routes.insert(IpPrefix.parse("10.20.0.0/16"), "b");
        assertTrue(answers(targets, "100.64.0.2"));
        assertTrue(answers(targets, "10.20.7.9"));
        assertFalse(answers(targets, "100.64.0.3"), "in the subnet, routed to no peer");
        assertFalse(answers(targets, "fd00:64::2"));

        // A peer added later counts at the next question: the routes are read each time.
        routes.insert(IpPrefix.parse("fd00:64::2/128"), "b");
        assertTrue(answers(targets, "fd00:64::2"));
        routes.remove(IpPrefix.parse("10.20.0.0/16"));
        assertFalse(answers(targets, "10.20.7.9"));
    }

    private static boolean answers(NeighbourTargets targets, String address) throws Exception {
        byte[] a = InetAddress.getByName(address).getAddress();
        ByteBuffer b = ByteBuffer.allocate(a.length + 8);
        b.put(8, a); // at an offset, as in a frame
        return targets.answers(b, 8, a.length == 16);
    }
}
