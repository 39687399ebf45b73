package dev.platoon.core.device;

import java.time.InstantSource;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.platoon.core.tap.KernelTap;
import dev.platoon.core.tap.TapSettings;

import dev.platoon.core.transport.Bind;
import dev.platoon.core.transport.KernelTun;
import dev.platoon.core.transport.QueueLoops;
import dev.platoon.core.transport.Tun;
import dev.platoon.core.transport.UdpBind;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.EpollIoHandler;

/**
 * What a device is made of that is not platoon's own logic: how its tun side (or, in tap mode, its
 * tap) and UDP side are opened, what kind of event loops carry them, and its clocks. {@link #kernel()}
 * is a real device; tests give in-memory openers and local loops, and the same data path runs on them.
 */
public record DeviceParts(Tun.Opener tuns, Function<TapSettings, Tun.Opener> taps, Bind.Opener binds,
                          IoHandlerFactory loops, LongSupplier nanoClock, InstantSource wallClock) {

    /** Parts whose tap mode opens the kernel's taps. */
    public DeviceParts(Tun.Opener tuns, Bind.Opener binds, IoHandlerFactory loops, LongSupplier nanoClock,
                       InstantSource wallClock) {
        this(tuns, KernelTap::opener, binds, loops, nanoClock, wallClock);
    }

    /** These parts with the tun side opened by {@code opener}. */
    public DeviceParts withTuns(Tun.Opener opener) {
        return new DeviceParts(opener, taps, binds, loops, nanoClock, wallClock);
    }

    /** A tun device, UDP sockets and epoll loops of this kernel, and the system clocks. */
    public static DeviceParts kernel() {
        QueueLoops.ensureEpoll();
        return new DeviceParts(KernelTun.OPENER, UdpBind.KERNEL, EpollIoHandler.newFactory(), System::nanoTime,
                InstantSource.system());
    }
}
