package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.platoon.core.demo.TunnelBed;
import dev.platoon.testkit.NetNs;

/**
 * A burst of data messages naming no session (type 4, unknown receiver indices) sent at platoon from
 * the other namespace: the queue loops must read several per wake-up, and every one of them must be
 * counted — by platoon under its drop reason, or by the kernel if its receive buffer overflowed. Data
 * messages, because anything else goes to the handshake socket, not to the loops.
 */
class ReceiveBatchingIT {
    /** Fits in the socket's receive buffer (8 MiB forced) many times over: nothing need be lost. */
    private static final int DATAGRAMS = 5000;
    private static final Pattern KERNEL = Pattern.compile("kernel drops: UDP receive buffer ([0-9]+)");

    @Test
    void aBurstIsReadInBatchesAndEveryDatagramIsCounted() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-rxb")) {
            E2e.startPlatoon(bed, bed.a, false, List.of());
            PlatoonStatus before = E2e.status(bed.a);
            long kernelBefore = kernelDrops(before);

            InetSocketAddress target = new InetSocketAddress(bed.a.outerAddress, TunnelBed.LISTEN_PORT);
            NetNs.call(bed.b.namespace, () -> {
                try (DatagramChannel ch = DatagramChannel.open()) {
                    ch.connect(target);
                    ByteBuffer junk = ByteBuffer.allocate(32);
                    junk.put(0, (byte) 4); // a data message, 32 bytes: header and tag, no payload
                    for (int i = 0; i < DATAGRAMS; i++) {
                        junk.putInt(4, 0x7000_0000 + i).clear(); // a receiver index no session has
                        ch.write(junk);
                    }
                }
                return null;
            });

            PlatoonStatus after = E2e.awaitStatus(bed.a, E2e.STATUS_LAG.multipliedBy(2),
                    "all " + DATAGRAMS + " junk datagrams counted (unknown_receiver + kernel receive-buffer drops)",
                    s -> s.drop("unknown_receiver") - before.drop("unknown_receiver")
                            + kernelDrops(s) - kernelBefore >= DATAGRAMS);
            long counted = after.drop("unknown_receiver") - before.drop("unknown_receiver");
            long lostInKernel = kernelDrops(after) - kernelBefore;
            assertEquals(DATAGRAMS, counted + lostInKernel, "every datagram counted once:\n" + after.text());
            double perWakeup = after.datagramsPerBatchSince(before);
            System.out.printf("[e2e] junk burst of %d: %.1f datagrams per wake-up (max %d), %d lost in the kernel%n",
                    DATAGRAMS, perWakeup, after.maxBatch(), lostInKernel);
            assertTrue(perWakeup > 1.0, "datagrams per receive wake-up " + perWakeup + " should be > 1:\n" + after.text());
        }
    }

    private static long kernelDrops(PlatoonStatus s) {
        Matcher m = KERNEL.matcher(s.text());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
