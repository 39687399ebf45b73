package dev.platoon.tun;

import static dev.platoon.tun.TunDevice.*;

import com.sun.jna.LastErrorException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The open sequence of a {@link TunDevice}, and its one-line errors. */
final class TunOpener {
    private TunOpener() {}

    /** Offload sets tried in order: the first the kernel takes wins (USO is Linux ≥ 6.2). */
    private static final int[] WITH_USO = {
        Offloads.TUN_F_CSUM | Offloads.TUN_F_TSO4 | Offloads.TUN_F_TSO6 | Offloads.TUN_F_USO4 | Offloads.TUN_F_USO6,
        Offloads.TUN_F_CSUM | Offloads.TUN_F_TSO4 | Offloads.TUN_F_TSO6,
        Offloads.TUN_F_CSUM,
        0
    };

    static TunDevice open(TunConfig cfg) throws TunException {
        String name = cfg.name();
        if (name.getBytes(StandardCharsets.US_ASCII).length >= IFNAMSIZ || name.contains("/") || name.contains(" ")) {
            throw new TunException("device name '" + name + "' is not valid: at most 15 characters, no '/' or spaces");
        }
        int baseFlags = (cfg.tap() ? IFF_TAP : IFF_TUN) | IFF_NO_PI | (cfg.vnetHdr() ? IFF_VNET_HDR : 0)
                | (cfg.napi() ? IFF_NAPI : 0);
        boolean mq = cfg.multiQueue();
        List<TunQueue> queues = new ArrayList<>();
        try {
            for (int q = 0; q < cfg.queues(); q++) {
                int fd = openClone();
                queues.add(new TunQueue(name.isEmpty() ? "tun" : name, q, fd));
                byte[] ifr = ifreq(name, baseFlags | (mq ? IFF_MULTI_QUEUE : 0));
                int errno = setIff(fd, ifr);
                if (errno == LibC.EINVAL && q == 0 && !name.isEmpty()) {
                    // An existing device must be opened with its own multi-queue setting: flip and retry.
                    byte[] flipped = ifreq(name, baseFlags | (mq ? 0 : IFF_MULTI_QUEUE));
                    int flippedErrno = setIff(fd, flipped);
                    if (flippedErrno != 0 && flippedErrno != LibC.EINVAL) {
                        errno = flippedErrno; // the flags matched; something else is wrong (busy)
                    } else if (flippedErrno == 0) {
                        mq = !mq;
                        ifr = flipped;
                        errno = 0;
                        if (!mq && cfg.queues() > 1) {
                            throw new TunException("device " + name + " exists without multi_queue: it cannot have "
                                    + cfg.queues() + " queues (delete it or ask for 1)");
                        }
                    }
                }
                if (errno != 0) {
                    throw setIffError(name, cfg, errno);
                }
                if (q == 0) {
                    name = ifreqName(ifr);
                }
            }
            int first = queues.get(0).fd();
            int vnet = 0;
            Offloads offloads = Offloads.NONE;
            if (cfg.vnetHdr()) {
                ioctlInt(first, TUNSETVNETHDRSZ, VirtioNetHdr.SIZE, name, "TUNSETVNETHDRSZ 12");
                vnet = VirtioNetHdr.SIZE;
                offloads = negotiate(first, cfg, name);
            }
            if (cfg.sndbuf() > 0) {
                for (TunQueue q : queues) {
                    ioctlInt(q.fd(), TUNSETSNDBUF, cfg.sndbuf(), name, "TUNSETSNDBUF " + cfg.sndbuf());
                }
            }
            List<TunQueue> named = new ArrayList<>();
            for (TunQueue q : queues) {
                named.add(new TunQueue(name, q.index(), q.fd()));
            }
            TunDevice dev = TunDevice.of(name, cfg.tap(), mq, vnet, offloads, List.copyOf(named));
            dev.napi(cfg.napi());
            dev.steering(cfg.steering() == Steering.EBPF && Steering.attach(dev) ? Steering.EBPF : Steering.KERNEL);
            return dev;
        } catch (TunException | RuntimeException e) {
            for (TunQueue q : queues) {
                q.close();
            }
            throw e;
        }
    }

    private static int openClone() throws TunException {
        try {
            return LibC.open(CLONE_DEVICE, LibC.O_RDWR | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            String why = switch (errno) {
                case LibC.ENOENT -> "no " + CLONE_DEVICE + ": load the tun module (modprobe tun), or give the "
                        + "container the device (--device /dev/net/tun)";
                case LibC.ENODEV, LibC.ENXIO -> CLONE_DEVICE + " exists but the tun driver is missing (modprobe tun)";
                case LibC.EACCES, LibC.EPERM -> "not permitted to open " + CLONE_DEVICE + ": run as root or with CAP_NET_ADMIN";
                default -> "cannot open " + CLONE_DEVICE + ": " + TunException.describe(errno);
            };
            throw new TunException(why, errno);
        }
    }

    private static int setIff(int fd, byte[] ifr) {
        try {
            LibC.ioctl(fd, TUNSETIFF, ifr);
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    private static TunException setIffError(String name, TunConfig cfg, int errno) {
        String dev = name.isEmpty() ? "a new " + (cfg.tap() ? "tap" : "tun") + " device" : "device " + name;
        String why = switch (errno) {
            case LibC.EPERM, LibC.EACCES -> "not permitted to create or attach " + dev + ": needs CAP_NET_ADMIN";
            case LibC.EBUSY -> dev + " is busy: another process holds it (or all its queues are attached)";
            case LibC.EINVAL -> "cannot open " + dev + " as " + (cfg.tap() ? "tap" : "tun")
                    + ": the name is taken by another kind of device, or its flags (tun/tap, vnet_hdr) differ";
            default -> "TUNSETIFF for " + dev + " failed: " + TunException.describe(errno);
        };
        return new TunException(why, errno);
    }

    private static Offloads negotiate(int fd, TunConfig cfg, String name) throws TunException {
        if (!cfg.offloads()) {
            setOffload(fd, 0, name);
            return Offloads.NONE;
        }
        for (int flags : WITH_USO) {
            if (!cfg.uso() && (flags & (Offloads.TUN_F_USO4 | Offloads.TUN_F_USO6)) != 0) {
                continue;
            }
            try {
                LibC.ioctl(fd, TUNSETOFFLOAD, (long) flags);
                return new Offloads(flags);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINVAL) {
                    throw new TunException(name + ": TUNSETOFFLOAD failed: " + TunException.describe(e.getErrorCode()),
                            e.getErrorCode());
                }
                // EINVAL: this kernel does not know some flag; try the next, smaller set.
            }
        }
        return Offloads.NONE;
    }

    private static void setOffload(int fd, int flags, String name) throws TunException {
        try {
            LibC.ioctl(fd, TUNSETOFFLOAD, (long) flags);
        } catch (LastErrorException e) {
            throw new TunException(name + ": TUNSETOFFLOAD " + flags + " failed: " + TunException.describe(e.getErrorCode()),
                    e.getErrorCode());
        }
    }

    private static void ioctlInt(int fd, long request, int value, String name, String what) throws TunException {
        try {
            LibC.ioctl(fd, request, new int[] {value});
        } catch (LastErrorException e) {
            throw new TunException(name + ": " + what + " failed: " + TunException.describe(e.getErrorCode()),
                    e.getErrorCode());
        }
    }
}
