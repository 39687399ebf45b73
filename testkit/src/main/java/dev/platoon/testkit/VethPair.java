package dev.platoon.testkit;

/**
 * Two fresh namespaces joined by a veth pair, {@value #IFNAME} on each side, up and addressed from the
 * test range 192.0.2.0/24 ({@link #A_ADDRESS} and {@link #B_ADDRESS}) and 2001:db8::/64, as the demo's
 * namespace pair. Closing removes both namespaces and with them the veth and whatever the test made inside.
 */
public final class VethPair implements AutoCloseable {
    public static final String IFNAME = "veth0";
    public static final String A_ADDRESS = "192.0.2.1";
    public static final String B_ADDRESS = "192.0.2.2";
    public static final String A_ADDRESS6 = "2001:db8::1";
    public static final String B_ADDRESS6 = "2001:db8::2";

    private final NetNs a;
    private final NetNs b;

    private VethPair(NetNs a, NetNs b) {
        this.a = a;
        this.b = b;
    }

    /** Namespaces {@code pt-<random>-<tag>a} and {@code ...b}, joined and addressed; nothing is left on failure. */
    public static VethPair create(String tag) {
        NetNs a = NetNs.create(tag + "a");
        NetNs b = null;
        try {
            b = NetNs.create(tag + "b");
            NetNs.veth(a, IFNAME, b, IFNAME);
            address(a, A_ADDRESS, A_ADDRESS6);
            address(b, B_ADDRESS, B_ADDRESS6);
            return new VethPair(a, b);
        } catch (RuntimeException | Error e) {
            a.close();
            if (b != null) {
                b.close();
            }
            throw e;
        }
    }

    private static void address(NetNs ns, String v4, String v6) {
        ns.exec("ip", "addr", "add", v4 + "/24", "dev", IFNAME);
        // nodad: the address is usable at once instead of after duplicate address detection.
        ns.exec("ip", "-6", "addr", "add", v6 + "/64", "dev", IFNAME, "nodad");
    }

    public NetNs a() {
        return a;
    }

    public NetNs b() {
        return b;
    }

    @Override
    public void close() {
        try {
            a.close();
        } finally {
            b.close();
        }
    }
}
