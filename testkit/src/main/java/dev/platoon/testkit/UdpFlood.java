package dev.platoon.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A paced flood of prepared datagrams at one target: {@code rate} a second, sent in bursts of
 * {@code burst} (the first at once), the messages and the source addresses taken in turn, until
 * {@link #stop()}, {@code maxPackets} or the time bound, whichever comes first. {@link #run()} sends on the
 * calling thread, so a thread inside a namespace floods from that namespace. The messages are the
 * caller's: junk, forged initiations, anything.
 */
public final class UdpFlood {
    private static final long MAX_PARK_NANOS = 1_000_000;   // how late a stop() may be noticed

    private final InetSocketAddress target;
    private final ByteBuffer[] messages;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean stopped;
    private List<String> sources = List.of();
    private long rate = 10_000;
    private int burst = 1;
    private long maxPackets = Long.MAX_VALUE;
    private Duration bound = Duration.ofSeconds(60);

    public UdpFlood(InetSocketAddress target, ByteBuffer... messages) {
        this.target = target;
        this.messages = messages.clone();
    }

    /** Datagrams a second (default 10,000). */
    public UdpFlood rate(long perSecond) {
        this.rate = perSecond;
        return this;
    }

    /** Datagrams sent back to back each time (default 1: evenly spaced). */
    public UdpFlood burst(int size) {
        this.burst = size;
        return this;
    }

    /** The most datagrams in all. */
    public UdpFlood maxPackets(long n) {
        this.maxPackets = n;
        return this;
    }

    /** The longest the flood lasts, whatever else happens (default 60 s). */
    public UdpFlood bound(Duration d) {
        this.bound = d;
        return this;
    }

    /** Local addresses (the namespace's own) the datagrams take turns coming from; none: the kernel picks. */
    public UdpFlood from(List<String> addresses) {
        this.sources = List.copyOf(addresses);
        return this;
    }

    /** Ends {@link #run()} within a millisecond or so; from any thread. */
    public void stop() {
        stopped = true;
    }

    /** Datagrams handed to the kernel so far (updated once a burst). */
    public long sent() {
        return sent.get();
    }

    /** Floods until stopped or bounded; returns how many datagrams it sent. */
    public long run() throws IOException {
        List<DatagramChannel> channels = new ArrayList<>();
        try {
            for (String source : sources.isEmpty() ? Collections.<String>singletonList(null) : sources) {
                DatagramChannel ch = DatagramChannel.open();
                channels.add(ch);
                if (source != null) {
                    ch.bind(new InetSocketAddress(source, 0));
                }
                ch.connect(target);
            }
            return pace(channels.toArray(DatagramChannel[]::new));
        } finally {
            for (DatagramChannel ch : channels) {
                ch.close();
            }
        }
    }

    private long pace(DatagramChannel[] channels) {
        long start = System.nanoTime();
        long end = start + bound.toNanos();
        long count = 0;
        long now;
        while (!stopped && count < maxPackets && (now = System.nanoTime()) - end < 0) {
            long bursts = (now - start) * rate / burst / 1_000_000_000L + 1;
            long due = Math.min(bursts * burst, maxPackets);
            if (count >= due) {
                long nextBurst = start + bursts * burst * 1_000_000_000L / rate;
                LockSupport.parkNanos(Math.min(nextBurst - now, MAX_PARK_NANOS)); // pacing, not waiting on anything
                continue;
            }
            for (; count < due; count++) {
                ByteBuffer m = messages[(int) (count % messages.length)].clear();
                try {
                    channels[(int) (count % channels.length)].write(m);
                } catch (IOException refused) {
                    // ECONNREFUSED after an ICMP error: the target is not listening (yet); keep pacing.
                }
            }
            sent.setRelease(count);
        }
        return count;
    }
}
