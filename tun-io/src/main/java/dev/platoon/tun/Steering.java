package dev.platoon.tun;

import static dev.platoon.tun.bpf.BpfAssembler.*;

import com.sun.jna.LastErrorException;
import dev.platoon.tun.bpf.BpfAssembler;
import dev.platoon.tun.bpf.BpfSyscall;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * How a multi-queue device picks the queue a packet from the kernel is read on.
 *
 * <p>{@link #KERNEL}: the tun driver's own flow table. It hashes every packet written by the
 * program (symmetric flow dissection) and remembers the queue it came in on, so the replies of a
 * flow are read on the queue that wrote it; a flow it has not seen (or has forgotten, after ~3 s)
 * goes by its hash. {@link #EBPF}: a TUNSETSTEERINGEBPF program that returns a hash of the flow's
 * addresses, protocol and ports, the same for both directions, so a flow stays on one queue for
 * its whole life whatever queue the program writes it on; the driver then skips its flow table on
 * both read and write.
 *
 * <p>Why a header hash and not {@code __sk_buff->hash}: for locally sent TCP that hash is the
 * socket's random {@code sk_txhash}, which the kernel re-rolls after a retransmission timeout
 * (moving the flow to another queue, reordering it), and for many other packets it is 0 (never
 * computed on this path), which would put them all on queue 0. {@link #flowHash} is the same
 * function in Java.
 */
public enum Steering {
    KERNEL, EBPF;

    private static final Logger LOG = Logger.getLogger(Steering.class.getName());

    /** _IOR('T', 224, int): attach (prog fd) or detach (-1) the steering program of the device. */
    static final long TUNSETSTEERINGEBPF = 0x800454e0L;

    /** The multiplier of Fibonacci hashing (2^64 / golden ratio): spreads the folded bits into the top 16. */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** MF and the fragment offset (not DF): a fragment has no ports to hash. */
    private static final int FRAGMENT_BITS = Ipv4Header.FLAG_MF | Ipv4Header.FRAGMENT_OFFSET_MASK;

    /** {@code -Dplatoon.tun.steering=kernel|ebpf}; kernel when unset. */
    public static Steering fromProperty() {
        String v = System.getProperty("platoon.tun.steering", "kernel").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "kernel", "" -> KERNEL;
            case "ebpf" -> EBPF;
            default -> throw new IllegalArgumentException(
                    "-Dplatoon.tun.steering=" + v + " is not valid: kernel or ebpf");
        };
    }

    /**
     * Loads the flow-hash program and attaches it to {@code dev}. Returns true when attached; when the
     * kernel refuses (no bpf(2), no permission, no TUNSETSTEERINGEBPF) logs one line and returns false,
     * leaving the kernel's steering in place. A single-queue device has nothing to steer: false.
     */
    static boolean attach(TunDevice dev) {
        if (dev.queueCount() < 2) {
            return false;
        }
        try {
            attachOrThrow(dev);
            return true;
        } catch (TunException e) {
            LOG.warning(e.getMessage() + "; the kernel's flow table steers instead");
            return false;
        }
    }

    /** Like {@link #attach} but fails with the reason (tests want to know). */
    static void attachOrThrow(TunDevice dev) throws TunException {
        byte[] prog = program(dev.tap() ? 14 : 0);
        int fd;
        try {
            fd = BpfSyscall.loadProgram(BpfSyscall.PROG_TYPE_SOCKET_FILTER, prog, "Dual MIT/GPL", "platoon_steer");
        } catch (BpfSyscall.LoadException e) {
            throw new TunException(dev.name() + ": steering program not loaded: " + e.getMessage(), e.errno());
        }
        try {
            // The device holds its own reference to the program: our fd can go right after.
            LibC.ioctl(dev.queue(0).fd(), TUNSETSTEERINGEBPF, new int[] {fd});
        } catch (LastErrorException e) {
            throw new TunException(dev.name() + ": TUNSETSTEERINGEBPF failed: " + TunException.describe(e.getErrorCode()),
                    e.getErrorCode());
        } finally {
            LibC.close(fd);
        }
    }

    /** Removes the program: the kernel's flow table steers again. */
    static void detach(TunDevice dev) throws TunException {
        try {
            LibC.ioctl(dev.queue(0).fd(), TUNSETSTEERINGEBPF, new int[] {-1});
        } catch (LastErrorException e) {
            throw new TunException(dev.name() + ": TUNSETSTEERINGEBPF -1 failed: " + TunException.describe(e.getErrorCode()),
                    e.getErrorCode());
        }
    }

    /**
     * The program: fold source ^ destination address words, protocol and (TCP/UDP, not a fragment)
     * source ^ destination port, multiply by {@link #GOLDEN}, return the top 16 bits. The driver takes
     * the answer modulo the queue count. XOR makes it symmetric: a connection's two directions hash
     * alike. {@code l3} is where the IP header starts (0 for tun, 14 for tap).
     */
    static byte[] program(int l3) {
        BpfAssembler a = new BpfAssembler();
        a.movReg(R6, R1) // LD_ABS/LD_IND read the skb in r6
                .ldAbs(B, l3).rshImm(R0, 4)
                .jeqImm(R0, Ipv4Header.VERSION, "v4").jeqImm(R0, Ipv6Header.VERSION, "v6")
                .movImm(R0, 0).exit();
        a.label("v4")
                .ldAbs(W, l3 + Ipv4Header.SRC).movReg(R7, R0)
                .ldAbs(W, l3 + Ipv4Header.DST).xorReg(R7, R0)
                .ldAbs(B, l3 + Ipv4Header.PROTOCOL_FIELD).movReg(R8, R0)
                .ldAbs(H, l3 + Ipv4Header.FLAGS_FRAGMENT).andImm(R0, FRAGMENT_BITS).jneImm(R0, 0, "mix") // no ports
                .ldAbs(B, l3).andImm(R0, 0x0f).lshImm(R0, 2).movReg(R9, R0)
                .jeqImm(R8, TcpHeader.PROTOCOL, "ports4").jeqImm(R8, UdpHeader.PROTOCOL, "ports4").ja("mix");
        a.label("ports4").ldInd(W, R9, l3).ja("ports");
        a.label("v6").ldAbs(W, l3 + Ipv6Header.SRC).movReg(R7, R0);
        for (int off = Ipv6Header.SRC + 4; off < Ipv6Header.LENGTH; off += 4) {
            a.ldAbs(W, l3 + off).xorReg(R7, R0);
        }
        a.ldAbs(B, l3 + Ipv6Header.NEXT_HEADER).movReg(R8, R0) // extension headers and fragments: no ports
                .jeqImm(R8, TcpHeader.PROTOCOL, "ports6").jeqImm(R8, UdpHeader.PROTOCOL, "ports6").ja("mix");
        a.label("ports6").ldAbs(W, l3 + Ipv6Header.LENGTH);
        a.label("ports") // r0 = source port << 16 | destination port
                .movReg(R1, R0).rshImm(R1, 16).andImm(R0, 0xffff).xorReg(R0, R1).xorReg(R7, R0);
        a.label("mix")
                .lshImm(R8, 32).xorReg(R7, R8)
                .ldImm64(R1, GOLDEN).mulReg(R7, R1).rshImm(R7, 48)
                .movReg(R0, R7).exit();
        return a.assemble();
    }

    /**
     * What {@link #program} returns for the IP packet at {@code ip} (absolute index, {@code len} bytes)
     * in {@code b}; 0 where the program would read past the end. The queue is this modulo the count.
     */
    public static int flowHash(ByteBuffer b, int ip, int len) {
        if (len < 1) {
            return 0;
        }
        int v = Ipv4Header.versionAt(b, ip);
        long h;
        int proto;
        int ports = -1;
        if (v == Ipv4Header.VERSION) {
            if (len < Ipv4Header.MIN_LENGTH) {
                return 0;
            }
            h = u32(b, ip + Ipv4Header.SRC) ^ u32(b, ip + Ipv4Header.DST);
            proto = Bytes.u8(b, ip + Ipv4Header.PROTOCOL_FIELD);
            int ihl = (b.get(ip) & 0x0f) * 4;
            if ((Bytes.u16(b, ip + Ipv4Header.FLAGS_FRAGMENT) & FRAGMENT_BITS) == 0 && hasPorts(proto)) {
                if (len < ihl + 4) {
                    return 0;
                }
                ports = ihl;
            }
        } else if (v == Ipv6Header.VERSION) {
            if (len < Ipv6Header.LENGTH) {
                return 0;
            }
            h = 0;
            for (int off = Ipv6Header.SRC; off < Ipv6Header.LENGTH; off += 4) {
                h ^= u32(b, ip + off);
            }
            proto = Bytes.u8(b, ip + Ipv6Header.NEXT_HEADER);
            if (hasPorts(proto)) {
                if (len < Ipv6Header.LENGTH + 4) {
                    return 0;
                }
                ports = Ipv6Header.LENGTH;
            }
        } else {
            return 0;
        }
        if (ports >= 0) {
            long p = u32(b, ip + ports);
            h ^= (p & 0xffff) ^ (p >>> 16);
        }
        h ^= (long) proto << 32;
        return (int) ((h * GOLDEN) >>> 48);
    }

    private static boolean hasPorts(int proto) {
        return proto == TcpHeader.PROTOCOL || proto == UdpHeader.PROTOCOL;
    }

    /** The queue the driver picks for a program answer: it keeps the low 16 bits, modulo the count. */
    public static int queueOf(int hash, int queues) {
        return (hash & 0xffff) % queues;
    }

    private static long u32(ByteBuffer b, int at) {
        // network order whatever the buffer's order, as LD_ABS answers
        return (b.get(at) & 0xffL) << 24 | (b.get(at + 1) & 0xff) << 16 | (b.get(at + 2) & 0xff) << 8 | b.get(at + 3) & 0xff;
    }
}
