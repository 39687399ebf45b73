package dev.platoon.tun;

import com.sun.jna.LastErrorException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A tun or tap device opened through {@code /dev/net/tun} with N queues. It is created in the
 * network namespace of the calling thread. {@link #offloads()} and {@link #queueCount()} tell what
 * was negotiated, {@link #describe()} in one line for logs and metrics.
 */
public final class TunDevice implements AutoCloseable {
    // linux/if_tun.h, x86_64 values: the ioctls are _IOW('T', nr, int), the flags as defined there
    static final long TUNSETIFF = 0x400454caL, TUNSETOFFLOAD = 0x400454d0L, TUNSETSNDBUF = 0x400454d4L,
            TUNSETVNETHDRSZ = 0x400454d8L;
    static final int IFF_TUN = 0x0001, IFF_TAP = 0x0002, IFF_NAPI = 0x0010, IFF_MULTI_QUEUE = 0x0100, IFF_NO_PI = 0x1000,
            IFF_VNET_HDR = 0x4000;
    static final int IFNAMSIZ = 16, IFREQ_SIZE = 40;
    static final String CLONE_DEVICE = "/dev/net/tun";

    private final String name;
    private final boolean tap;
    private final boolean multiQueue;
    private final int vnetHdrSize;
    private final Offloads offloads;
    private final List<TunQueue> queues;
    private boolean napi;
    private Steering steering = Steering.KERNEL;

    private TunDevice(String name, boolean tap, boolean multiQueue, int vnetHdrSize, Offloads offloads,
                      List<TunQueue> queues) {
        this.name = name;
        this.tap = tap;
        this.multiQueue = multiQueue;
        this.vnetHdrSize = vnetHdrSize;
        this.offloads = offloads;
        this.queues = queues;
    }

    /** Opens (or creates) the device with {@code cfg.queues()} queues, or fails with one line. */
    public static TunDevice open(TunConfig cfg) throws TunException {
        return TunOpener.open(cfg);
    }

    static TunDevice of(String name, boolean tap, boolean multiQueue, int vnetHdrSize, Offloads offloads,
                        List<TunQueue> queues) {
        return new TunDevice(name, tap, multiQueue, vnetHdrSize, offloads, queues);
    }

    public String name() { return name; }
    public boolean tap() { return tap; }
    public boolean multiQueue() { return multiQueue; }
    /** 12 with IFF_VNET_HDR (every frame starts with a {@link VirtioNetHdr}), else 0. */
    public int vnetHdrSize() { return vnetHdrSize; }
    public Offloads offloads() { return offloads; }
    public int queueCount() { return queues.size(); }
    public TunQueue queue(int i) { return queues.get(i); }
    /** Opened with IFF_NAPI. */
    public boolean napi() { return napi; }
    /** The steering in effect: {@link Steering#EBPF} only when the program was attached. */
    public Steering steering() { return steering; }

    void napi(boolean on) { napi = on; }
    void steering(Steering s) { steering = s; }

    /** e.g. "pt0: tun multi_queue, 2 queues, vnet_hdr 12, offloads csum tso4 tso6 uso4 uso6". */
    public String describe() {
        return name + ": " + (tap ? "tap" : "tun") + (multiQueue ? " multi_queue" : "") + ", " + queues.size()
                + (queues.size() == 1 ? " queue" : " queues") + ", vnet_hdr " + vnetHdrSize + ", offloads " + offloads
                + (napi ? ", napi" : "") + (steering == Steering.EBPF ? ", steering ebpf" : "");
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Closes every queue; a non-persistent device disappears with its last fd. */
    @Override
    public void close() {
        for (TunQueue q : queues) {
            q.close();
        }
    }

    static byte[] ifreq(String name, int flags) {
        byte[] ifr = new byte[IFREQ_SIZE];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, ifr, 0, n.length);
        ifr[16] = (byte) flags;
        ifr[17] = (byte) (flags >>> 8);
        return ifr;
    }

    static String ifreqName(byte[] ifr) {
        int n = 0;
        while (n < IFNAMSIZ && ifr[n] != 0) {
            n++;
        }
        return new String(ifr, 0, n, StandardCharsets.US_ASCII);
    }

    static int errno(LastErrorException e) {
        return e.getErrorCode();
    }
}
