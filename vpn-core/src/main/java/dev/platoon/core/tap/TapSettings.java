package dev.platoon.core.tap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What a tap needs beyond the device: its MAC, the addresses it answers for, and the clock and ageing
 * time of its neighbour table.
 *
 * @param mac          the MAC platoon's frames carry as source (48 bits in a long)
 * @param ageingNanos  how long a learned MAC is used after its host was last heard from
 * @param neighbours   how many neighbours per address family the table holds
 */
public record TapSettings(long mac, NeighbourTargets targets, LongSupplier nanoClock, long ageingNanos,
                          int neighbours) {
    /** The Linux bridge's default forwarding-database ageing time. */
    public static final Duration DEFAULT_AGEING = Duration.ofMinutes(5);
    public static final int DEFAULT_NEIGHBOURS = 1024;

    public TapSettings {
        if ((mac & 0x0100_0000_0000L) != 0 || mac >>> 48 != 0) {
            throw new IllegalArgumentException("not a unicast 48-bit MAC: " + Long.toHexString(mac));
        }
        if (ageingNanos <= 0 || neighbours <= 0) {
            throw new IllegalArgumentException("ageing and table size must be positive");
        }
    }

    /** A MAC from {@code seed} (the interface name and public key, say), defaults for the rest. */
    public static TapSettings of(String seed, NeighbourTargets targets, LongSupplier nanoClock) {
        return new TapSettings(stableMac(seed), targets, nanoClock, DEFAULT_AGEING.toNanos(), DEFAULT_NEIGHBOURS);
    }

    /**
     * A locally administered unicast MAC derived from {@code seed}: the same device gets the same MAC on
     * every start, so the hosts behind the bridge keep their ARP entries across a restart.
     */
    public static long stableMac(String seed) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(("platoon tap " + seed).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (h[i] & 0xff);
        }
        // First octet: clear the group bit, set the locally administered bit (IEEE 802 §8.2).
        return (mac & ~0x0100_0000_0000L) | 0x0200_0000_0000L;
    }
}
