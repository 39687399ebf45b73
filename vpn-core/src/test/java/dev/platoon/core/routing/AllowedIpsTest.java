package dev.platoon.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platoon.config.IpPrefix;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class AllowedIpsTest {

    private static final String A = "A", B = "B", C = "C", D = "D";

    /** An IP header (just enough of it) with the given source and destination, at offset 7. */
    static ByteBuffer packet(String src, String dst, ByteOrder order) throws Exception {
        byte[] s = InetAddress.getByName(src).getAddress(), d = InetAddress.getByName(dst).getAddress();
        ByteBuffer b = ByteBuffer.allocate(7 + 60).order(order);
        if (s.length == 4) {
            b.put(7, (byte) 0x45);
            b.put(7 + 12, s);
            b.put(7 + 16, d);
        } else {
            b.put(7, (byte) 0x60);
            b.put(7 + 8, s);
            b.put(7 + 24, d);
        }
        return b;
    }

    static String dst(AllowedIps<String> t, String addr) throws Exception {
        String viaBig = t.lookup(packet(addr.contains(":") ? "::1" : "1.1.1.1", addr, ByteOrder.BIG_ENDIAN), 7);
        String viaLittle = t.lookup(packet(addr.contains(":") ? "::1" : "1.1.1.1", addr, ByteOrder.LITTLE_ENDIAN), 7);
        assertSame(viaBig, viaLittle, "byte order must not matter");
        assertSame(viaBig, t.lookup(InetAddress.getByName(addr).getAddress()));
        return viaBig;
    }

    @Test
    void byValueGivesEachValueItsPrefixesFromOneWalk() {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(IpPrefix.parse("10.0.0.0/8"), "a");
        t.insert(IpPrefix.parse("fd00::/64"), "a");
        t.insert(IpPrefix.parse("192.0.2.0/24"), "b");
        t.insert(IpPrefix.parse("10.1.0.0/16"), "b");
        var all = t.byValue();
        assertEquals(2, all.size());
        for (String v : List.of("a", "b")) {
            assertEquals(t.entries(v), all.get(v), "the prefixes of " + v + ", in entries' order");
        }
    }

    @Test
    void longestPrefixWinsIpv4() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(IpPrefix.parse("0.0.0.0/0"), A);
        t.insert(IpPrefix.parse("10.0.0.0/8"), B);
        t.insert(IpPrefix.parse("10.1.0.0/16"), C);
        t.insert(IpPrefix.parse("10.1.2.3/32"), D);
        assertEquals(A, dst(t, "192.0.2.1"));
        assertEquals(B, dst(t, "10.200.0.1"));
        assertEquals(C, dst(t, "10.1.9.9"));
        assertEquals(D, dst(t, "10.1.2.3"));
        assertEquals(C, dst(t, "10.1.2.4"));
        assertEquals(4, t.size());
    }

    @Test
    void longestPrefixWinsIpv6AndFamiliesAreSeparate() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(IpPrefix.parse("fd00:64::/64"), A);
        t.insert(IpPrefix.parse("fd00:64::1/128"), B);
        t.insert(IpPrefix.parse("fd00::/8"), C);
        t.insert(IpPrefix.parse("100.64.0.0/24"), D);
        assertEquals(A, dst(t, "fd00:64::2"));
        assertEquals(B, dst(t, "fd00:64::1"));
        assertEquals(C, dst(t, "fd00:65::1"));
        assertNull(dst(t, "fe80::1"));
        assertEquals(D, dst(t, "100.64.0.9"));
        assertNull(dst(t, "::6440:9")); // the v6 number of 100.64.0.9 is not in the v4 trie
    }

    @Test
    void sourceLookupReadsTheSourceField() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(IpPrefix.parse("100.64.0.2/32"), A);
        t.insert(IpPrefix.parse("fd00:64::2/128"), B);
        assertEquals(A, t.lookupSource(packet("100.64.0.2", "100.64.0.1", ByteOrder.BIG_ENDIAN), 7));
        assertNull(t.lookup(packet("100.64.0.2", "100.64.0.1", ByteOrder.BIG_ENDIAN), 7));
        assertEquals(B, t.lookupSource(packet("fd00:64::2", "fd00:64::1", ByteOrder.BIG_ENDIAN), 7));
    }

    @Test
    void truncatedOrUnknownHeadersMatchNothing() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(IpPrefix.parse("0.0.0.0/0"), A);
        t.insert(IpPrefix.parse("::/0"), A);
        ByteBuffer b = packet("1.1.1.1", "2.2.2.2", ByteOrder.BIG_ENDIAN);
        b.limit(7 + 19);
        assertNull(t.lookup(b, 7));
        b.limit(b.capacity()).put(7, (byte) 0x55);
        assertNull(t.lookup(b, 7));
        ByteBuffer v6 = packet("::1", "::2", ByteOrder.BIG_ENDIAN).limit(7 + 39);
        assertNull(t.lookup(v6, 7));
        assertNull(t.lookup(b, -1));
        assertNull(t.lookup(b, b.limit()));
    }

    @Test
    void insertReplacesValueAndRemoveRestoresShorterMatch() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(IpPrefix.parse("10.0.0.0/8"), A);
        t.insert(IpPrefix.parse("10.1.0.0/16"), B);
        t.insert(IpPrefix.parse("10.1.0.0/16"), C); // moves to C
        assertEquals(C, dst(t, "10.1.0.1"));
        assertEquals(2, t.size());
        assertEquals(C, t.remove(IpPrefix.parse("10.1.0.0/16")));
        assertNull(t.remove(IpPrefix.parse("10.1.0.0/16")));
        assertNull(t.remove(IpPrefix.parse("10.0.0.0/9")));
        assertEquals(A, dst(t, "10.1.0.1"));
        assertEquals(1, t.size());
    }

    @Test
    void removeAllAndEntries() throws Exception {
        AllowedIps<String> t = new AllowedIps<>();
        t.insert(IpPrefix.parse("10.0.0.0/8"), A);
        t.insert(IpPrefix.parse("10.1.0.0/16"), B);
        t.insert(IpPrefix.parse("10.1.2.0/24"), A);
        t.insert(IpPrefix.parse("fd00::/64"), A);
        t.insert(IpPrefix.parse("192.0.2.0/24"), B);
        assertEquals(Set.of(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("10.1.2.0/24"), IpPrefix.parse("fd00::/64")),
                new HashSet<>(t.entries(A)));
        t.removeAll(A);
        assertEquals(List.of(), t.entries(A));
        assertEquals(2, t.size());
        assertEquals(B, dst(t, "10.1.2.3"));
        assertNull(dst(t, "10.2.0.1"));
        assertNull(dst(t, "fd00::1"));
        assertEquals(B, dst(t, "192.0.2.9"));
    }

    @Test
    void prefixIsCanonicalAndPrints() {
        assertEquals(IpPrefix.parse("10.1.2.3/8"), IpPrefix.parse("10.0.0.0/8"));
        assertEquals("10.0.0.0/8", IpPrefix.parse("10.9.9.9/8").toString());
        assertEquals("fd00:64::/64", IpPrefix.parse("fd00:64::1/64").toString());
        assertEquals("::/0", IpPrefix.parse("::/0").toString());
        assertEquals("fd00:64::1/128", IpPrefix.parse("fd00:64::1").toString());
        assertEquals("1:0:2::3/128", IpPrefix.parse("1:0:2:0:0:0:0:3").toString());
        assertTrue(IpPrefix.parse("100.64.0.0/24").contains(IpPrefix.parse("100.64.0.7").address()));
    }

    /** Random prefixes, inserts and removes, checked against a naive longest-match over a list. */
    @Test
    void randomisedAgainstNaiveList() {
        Random rnd = new Random(0x5eed);
        for (boolean v6 : new boolean[] {false, true}) {
            AllowedIps<Integer> t = new AllowedIps<>();
            Map<IpPrefix, Integer> naive = new LinkedHashMap<>();
            Integer[] values = new Integer[8];
            for (int i = 0; i < values.length; i++) {
                values[i] = Integer.valueOf(1000 + i); // distinct identities
            }
            List<IpPrefix> inserted = new ArrayList<>();
            for (int round = 0; round < 3000; round++) {
                int op = rnd.nextInt(10);
                if (op < 6 || inserted.isEmpty()) {
                    IpPrefix p = randomPrefix(rnd, v6);
                    Integer v = values[rnd.nextInt(values.length)];
                    t.insert(p, v);
                    naive.put(p, v);
                    inserted.add(p);
                } else if (op < 9) {
                    IpPrefix p = inserted.get(rnd.nextInt(inserted.size()));
                    assertSame(naive.remove(p), t.remove(p));
                } else {
                    Integer v = values[rnd.nextInt(values.length)];
                    t.removeAll(v);
                    naive.values().removeIf(x -> x == v);
                }
                assertEquals(naive.size(), t.size());
                for (int q = 0; q < 20; q++) {
                    byte[] addr = randomAddress(rnd, v6, inserted);
                    assertSame(naiveLookup(naive, addr), t.lookup(addr), "round " + round);
                }
            }
        }
    }

    private static IpPrefix randomPrefix(Random rnd, boolean v6) {
        byte[] a = new byte[v6 ? 16 : 4];
        rnd.nextBytes(a);
        a[0] = (byte) (a[0] & 0x8f); // cluster the keys so prefixes nest and share paths
        return IpPrefix.of(a, rnd.nextInt(a.length * 8 + 1));
    }

    private static byte[] randomAddress(Random rnd, boolean v6, List<IpPrefix> near) {
        byte[] a = new byte[v6 ? 16 : 4];
        rnd.nextBytes(a);
        if (!near.isEmpty() && rnd.nextBoolean()) {
            // Start from an inserted prefix and flip a random bit or none: hits edges of prefixes.
            byte[] base = near.get(rnd.nextInt(near.size())).address().getAddress();
            System.arraycopy(base, 0, a, 0, rnd.nextInt(a.length + 1));
        }
        return a;
    }

    private static Integer naiveLookup(Map<IpPrefix, Integer> naive, byte[] addr) {
        Integer best = null;
        int bestBits = -1;
        for (Map.Entry<IpPrefix, Integer> e : naive.entrySet()) {
            IpPrefix p = e.getKey();
            if (p.bits() > bestBits && IpPrefix.of(addr, p.bits()).equals(p)) {
                best = e.getValue();
                bestBits = p.bits();
            }
        }
        return best;
    }
}
