package dev.platoon.tun;

/** The two kinds of {@link GroCoalescer}; coalescer suites run once for each. */
enum CoalescerMode {
    VERIFYING, TRUSTING;

    GroCoalescer make(boolean udpEnabled, FrameWriter out) {
        return this == TRUSTING ? GroCoalescer.trustingChecksums(udpEnabled, out) : new GroCoalescer(udpEnabled, out);
    }
}
