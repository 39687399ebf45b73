package dev.platoon.core.device;

import java.time.InstantSource;
import java.util.function.LongSupplier;

import dev.platoon.core.transport.Bind;
import dev.platoon.core.transport.KernelTun;
import dev.platoon.core.transport.QueueLoops;
import dev.platoon.core.transport.Tun;
import dev.platoon.core.transport.UdpBind;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.EpollIoHandler;

/**
 * What a device is made of that is not platoon's own logic: how its tun side and UDP side are
 * opened, what kind of event loops carry them, and its clocks. {@link #KERNEL} is a real device;
 * tests give in-memory openers and local loops, and the same data path runs on them.
 */
public record DeviceParts(Tun.Opener tuns, Bind.Opener binds, IoHandlerFactory loops, LongSupplier nanoClock,
                          InstantSource wallClock) {

    /** A tun device, UDP sockets and epoll loops of this kernel, and the system clocks. */
    public static DeviceParts kernel() {
        QueueLoops.ensureEpoll();
        return new DeviceParts(KernelTun.OPENER, UdpBind.KERNEL, EpollIoHandler.newFactory(), System::nanoTime,
                InstantSource.system());
    }
}
