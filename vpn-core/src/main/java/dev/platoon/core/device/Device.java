package dev.platoon.core.device;

import java.nio.file.Path;

import dev.platoon.config.WgConfig;

/** A running WireGuard interface: the tun device, its queue loops, peers and control socket. */
public final class Device implements AutoCloseable {

    private Device() {
    }

    /** Creates and configures the interface, then serves it. Throws with one line on any failure. */
    public static Device up(String name, Path configFile, WgConfig config, DeviceOptions options) {
        throw new UnsupportedOperationException("the device is not built yet");
    }

    /** One line for the log: queues, offloads, port. */
    public String describe() {
        return "";
    }

    @Override
    public void close() {
    }
}
