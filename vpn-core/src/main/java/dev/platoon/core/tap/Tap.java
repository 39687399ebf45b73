package dev.platoon.core.tap;

import java.util.ArrayList;
import java.util.List;

import dev.platoon.core.transport.Tun;
import dev.platoon.core.transport.TunPort;

/**
 * A tap as the data path's {@link Tun}: one {@link TapPort} per queue over the queues of a tap (the
 * kernel's, {@link KernelTap}, or an in-memory one), sharing one neighbour table per address family
 * and one set of {@link TapCounters}. The data path sees virtio_net_hdr + IP frames exactly as from a tun.
 */
public final class Tap implements Tun {
    private final String name;
    private final List<TapPort> ports = new ArrayList<>();
    private final boolean tcpTrains;
    private final boolean udpTrains;
    private final String description;
    private final Runnable closeDevice;
    private final TapSettings settings;
    private final TapCounters counters;
    private final NeighbourTable v4;
    private final NeighbourTable v6;

    /** A tap whose counters are its own. */
    public Tap(String name, List<? extends TapQueue> queues, boolean tcpTrains, boolean udpTrains, String description,
               Runnable closeDevice, TapSettings settings) {
        this(name, queues, tcpTrains, udpTrains, description, closeDevice, settings, new TapCounters());
    }

    /**
     * @param closeDevice closes what owns the queues' fds, after the ports are closed
     * @param counters    what the tap answers, learns and drops (its drops in the device's transport counters)
     */
    public Tap(String name, List<? extends TapQueue> queues, boolean tcpTrains, boolean udpTrains, String description,
               Runnable closeDevice, TapSettings settings, TapCounters counters) {
        this.name = name;
        this.counters = counters;
        this.tcpTrains = tcpTrains;
        this.udpTrains = udpTrains;
        this.description = description;
        this.closeDevice = closeDevice;
        this.settings = settings;
        this.v4 = new NeighbourTable(settings.neighbours(), settings.ageingNanos(), counters);
        this.v6 = new NeighbourTable(settings.neighbours(), settings.ageingNanos(), counters);
        for (TapQueue q : queues) {
            ports.add(new TapPort(q, settings, v4, v6, counters));
        }
        TapPort[] all = ports.toArray(TapPort[]::new);
        Runnable answered = () -> {
            for (TapPort p : all) {
                p.answerArrived();
            }
        };
        v4.onAnswer(answered);
        v6.onAnswer(answered);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int queueCount() {
        return ports.size();
    }

    @Override
    public TunPort queue(int i) {
        return ports.get(i);
    }

    @Override
    public boolean tcpTrains() {
        return tcpTrains;
    }

    @Override
    public boolean udpTrains() {
        return udpTrains;
    }

    /** The MAC platoon's frames carry. */
    public long mac() {
        return settings.mac();
    }

    public TapCounters counters() {
        return counters;
    }

    /** The neighbours behind the tap, IPv4 and IPv6. */
    public NeighbourTable neighbours(boolean ipv6) {
        return ipv6 ? v6 : v4;
    }

    @Override
    public String describe() {
        return description + ", mac " + dev.platoon.tun.EthernetHeader.format(settings.mac());
    }

    @Override
    public void close() {
        for (TapPort p : ports) {
            p.close();
        }
        closeDevice.run();
    }
}
