package dev.platoon.core.transport;

/**
 * The tun side of a device: its queues, one per loop, and the offloads the kernel agreed to, which
 * decide what kind of trains may be written back. Opened by a {@link Opener}; closing it closes every
 * queue and the device.
 */
public interface Tun extends AutoCloseable {

    /** Opens a device's tun side: the kernel's ({@link KernelTun}) or an in-memory one. */
    @FunctionalInterface
    interface Opener {
        /**
         * Opens {@code name} with up to {@code queues} queues, counting read and write errors in
         * {@code counters}; throws with one line on failure.
         */
        Tun open(String name, int queues, TransportCounters counters) throws java.io.IOException;
    }

    String name();

    int queueCount();

    TunPort queue(int i);

    /** Whether TCP trains (GSO TCPv4/v6) may be written to the device. */
    boolean tcpTrains();

    /** Whether UDP trains (GSO UDP_L4) may be written to the device. */
    boolean udpTrains();

    /** One line for the log: name, queues, offloads. */
    String describe();

    /** Closes the queues and the device (the kernel then removes its addresses and routes). */
    @Override
    void close();
}
