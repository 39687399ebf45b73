package dev.platoon.tun;

/** The TUNSETOFFLOAD flags the kernel accepted for a device (TUN_F_*). */
public record Offloads(int flags) {
    public static final int TUN_F_CSUM = 0x01;
    public static final int TUN_F_TSO4 = 0x02;
    public static final int TUN_F_TSO6 = 0x04;
    public static final int TUN_F_TSO_ECN = 0x08;
    public static final int TUN_F_USO4 = 0x20;
    public static final int TUN_F_USO6 = 0x40;

    public static final Offloads NONE = new Offloads(0);

    public boolean csum() { return (flags & TUN_F_CSUM) != 0; }
    public boolean tso4() { return (flags & TUN_F_TSO4) != 0; }
    public boolean tso6() { return (flags & TUN_F_TSO6) != 0; }
    public boolean uso4() { return (flags & TUN_F_USO4) != 0; }
    public boolean uso6() { return (flags & TUN_F_USO6) != 0; }
    /** True when UDP trains may be written: the GroCoalescer's UDP switch. */
    public boolean uso() { return uso4() && uso6(); }

    /** e.g. "csum tso4 tso6 uso4 uso6", or "none". */
    @Override
    public String toString() {
        if (flags == 0) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        String[] names = {"csum", "tso4", "tso6", "tso_ecn", "ufo", "uso4", "uso6"};
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                s.append(s.isEmpty() ? "" : " ").append(names[i]);
            }
        }
        return s.toString();
    }
}
