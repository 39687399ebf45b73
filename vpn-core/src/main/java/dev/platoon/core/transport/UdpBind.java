package dev.platoon.core.transport;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelException;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDatagramChannelConfig;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One UDP socket per queue loop, all bound with SO_REUSEPORT to the same port, each registered on its own
 * loop. The sockets are created on the calling thread, which fixes their network namespace: call
 * {@link #open} from a thread that is in the namespace the device lives in.
 */
public final class UdpBind implements Bind {

    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    static final int SO_MARK = 36;
    static final IntegerUnixChannelOption SNDBUF_FORCE =
            new IntegerUnixChannelOption("SO_SNDBUFFORCE", SOL_SOCKET, SO_SNDBUFFORCE);
    static final IntegerUnixChannelOption RCVBUF_FORCE =
            new IntegerUnixChannelOption("SO_RCVBUFFORCE", SOL_SOCKET, SO_RCVBUFFORCE);
    static final IntegerUnixChannelOption MARK = new IntegerUnixChannelOption("SO_MARK", SOL_SOCKET, SO_MARK);
    /** Set explicitly: a host with net.ipv6.bindv6only=1 would otherwise lose IPv4 peers. */
    static final IntegerUnixChannelOption V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(UdpBind.class.getName());

    /** The kernel's bind: dual-stack sockets on the wildcard address, a handshake socket when allowed. */
    public static final Bind.Opener KERNEL = (loops, port, options, counters) ->
            open(loops, null, port, options, counters, HandshakeSocket.wanted());

    private volatile List<EpollDatagramChannel> channels;
    private final List<TrainSender> senders;
    private volatile int port;
    /** The socket types 1–3 are steered to, or null (not wanted, or the kernel refused the program). */
    private volatile HandshakeSocket handshakeSocket;
    /** What {@link #open} was given (with the current fwmark), for {@link #rebind}. */
    private volatile Reopen reopen;
    private final boolean buffersForced;
    private final TransportCounters counters;
    private final DatagramSender control;
    /** What {@link #receive} was given, or null before. */
    private volatile IntFunction<InboundSink> queueSinks;
    private volatile InboundSink handshakeSink;

    private UdpBind(List<EpollDatagramChannel> channels, List<TrainSender> senders, int port, boolean forced,
                    TransportCounters counters) {
        this.channels = List.copyOf(channels);
        this.senders = List.copyOf(senders);
        this.port = port;
        this.buffersForced = forced;
        this.counters = counters;
        this.control = new ChannelDatagramSender(this, counters);
    }

    /**
     * Opens one channel per loop, delivering to {@code sinks} at once, with no handshake socket: every
     * message reaches the loops' sinks. For tests and benchmarks; a device uses {@link #KERNEL}.
     */
    public static UdpBind open(List<? extends IoEventLoop> loops, InetAddress bindAddress, int port,
                               UdpOptions options, TransportCounters counters, IntFunction<InboundSink> sinks)
            throws IOException, InterruptedException {
        UdpBind bind = open(loops, bindAddress, port, options, counters, false);
        bind.receive(sinks, null);
        return bind;
    }

    /**
     * Opens one channel per loop and binds them all to {@code port} (0 = let the kernel pick one for the first
     * channel; the others then join that port). Nothing is read until {@link #receive}: what arrives
     * meanwhile waits in the sockets' buffers.
     *
     * @param bindAddress     null = dual-stack wildcard ({@code ::} with IPV6_V6ONLY off); an IPv4 address
     *                        gives IPv4-only sockets
     * @param handshakeSocket whether to open a {@link HandshakeSocket}, which takes every message but data
     *                        off the loops' sockets (where the kernel allows; else one warning and the
     *                        loops read everything)
     * @throws IOException with one line naming the address and the cause when a bind fails (port in use,
     *                     address not local)
     */
    @SuppressWarnings("deprecation") // IoEventLoop.register(ChannelPromise): Bootstrap calls the same thing
    public static UdpBind open(List<? extends IoEventLoop> loops, InetAddress bindAddress, int port,
                               UdpOptions options, TransportCounters counters, boolean handshakeSocket)
            throws IOException, InterruptedException {
        if (loops.isEmpty()) {
            throw new IllegalArgumentException("no event loops");
        }
        boolean v4 = bindAddress instanceof Inet4Address;
        List<EpollDatagramChannel> channels = new ArrayList<>(loops.size());
        List<TrainSender> senders = new ArrayList<>(loops.size());
        boolean forced = true;
        boolean gso = options.udpGso() && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
        int boundPort = port;
        try {
            for (int i = 0; i < loops.size(); i++) {
                // Created here, on the caller's thread: socket(2) takes that thread's network namespace.
                EpollDatagramChannel ch = new EpollDatagramChannel(v4 ? SocketProtocolFamily.INET
                        : SocketProtocolFamily.INET6);
                channels.add(ch);
                if (!v4) {
                    ch.config().setOption(V6ONLY, 0);
                }
                forced &= configure(ch, options);
                ch.config().setAutoRead(false); // until receive()
                IoEventLoop loop = loops.get(i);
                loop.register(new DefaultChannelPromise(ch, loop)).sync();
                InetSocketAddress local = bindAddress == null ? new InetSocketAddress(boundPort)
                        : new InetSocketAddress(bindAddress, boundPort);
                try {
                    ch.bind(local).sync();
                } catch (Exception e) {
                    throw new IOException("cannot bind UDP " + local + ": " + e.getMessage(), e);
                }
                boundPort = ch.localAddress().getPort();
                senders.add(new TrainSender(ch, gso, counters));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            for (EpollDatagramChannel ch : channels) {
                ch.close();
            }
            throw e;
        }
        UdpBind bind = new UdpBind(channels, senders, boundPort, forced, counters);
        bind.reopen = new Reopen(loops, bindAddress, options, handshakeSocket);
        if (handshakeSocket) {
            InetSocketAddress local = bindAddress == null ? new InetSocketAddress(boundPort)
                    : new InetSocketAddress(bindAddress, boundPort);
            try {
                bind.handshakeSocket = HandshakeSocket.open(v4, local, channels.size(), options, counters);
                counters.handshakeSocketOpen = true;
            } catch (IOException e) {
                counters.handshakeSocketOpen = false;
                LOG.warning("handshake messages stay on the queue loops: " + e.getMessage());
            }
        }
        return bind;
    }

    private record Reopen(List<? extends IoEventLoop> loops, InetAddress bindAddress, UdpOptions options,
                          boolean handshakeSocket) {
    }

    @Override
    public void receive(IntFunction<InboundSink> sinks, InboundSink handshakes) {
        if (queueSinks != null) {
            throw new IllegalStateException("already receiving");
        }
        queueSinks = sinks;
        handshakeSink = handshakes;
        startReceiving(sinks, handshakes);
    }

    private void startReceiving(IntFunction<InboundSink> sinks, InboundSink handshakes) {
        HandshakeSocket h = handshakeSocket;
        if (h != null) {
            // Without a sink of its own the messages it would take go to the loops: no socket to steer to.
            if (handshakes != null) {
                h.receive(handshakes);
            } else {
                handshakeSocket = null;
                counters.handshakeSocketOpen = false;
                h.close();
            }
        }
        List<EpollDatagramChannel> now = channels;
        for (int i = 0; i < now.size(); i++) {
            EpollDatagramChannel ch = now.get(i);
            // First in the pipeline: the sink's batchEnd runs before the train sender's flush.
            ch.pipeline().addFirst("receiver", new DatagramReceiver(sinks.apply(i), counters));
            ch.config().setAutoRead(true);
        }
    }

    /**
     * Moves every loop to a new socket on {@code newPort} ({@code wg set NAME listen-port N}, live): new
     * channels are opened and bound first (a failure changes nothing and throws one line), then, on each
     * loop's thread, that loop's sender moves to its new channel (with its backpressure wiring) and the
     * old channel closes. The train senders and the sinks stay the same objects. Call from a thread in the
     * device's network namespace, like {@link #open}.
     */
    @Override
    public void rebind(int newPort) throws IOException, InterruptedException {
        Reopen r = reopen;
        UdpBind fresh = open(r.loops(), r.bindAddress(), newPort, r.options(), counters, r.handshakeSocket());
        if (queueSinks != null) {
            fresh.startReceiving(queueSinks, handshakeSink);
        }
        List<EpollDatagramChannel> old = channels;
        List<java.util.concurrent.Future<?>> moves = new ArrayList<>();
        for (int i = 0; i < senders.size(); i++) {
            final int index = i;
            EpollDatagramChannel next = fresh.channel(i);
            moves.add(next.eventLoop().submit(() -> {
                senders.get(index).moveTo(next);
                old.get(index).close();
            }));
        }
        channels = fresh.channels;
        port = fresh.port;
        HandshakeSocket oldHandshakes = handshakeSocket;
        handshakeSocket = fresh.handshakeSocket;
        if (oldHandshakes != null) {
            oldHandshakes.close();
        }
        for (java.util.concurrent.Future<?> move : moves) {
            try {
                move.get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("moving to UDP port " + fresh.port + ": " + rootMessage(e), e);
            }
        }
    }

    @Override
    public DatagramSender controlSender() {
        return control;
    }

    /** Applies the options before bind; returns whether both FORCE buffer options took. */
    static boolean configure(EpollDatagramChannel ch, UdpOptions o) {
        EpollDatagramChannelConfig c = ch.config();
        c.setReusePort(true);
        c.setUdpGro(o.udpGro());
        c.setMaxDatagramPayloadSize(0);              // netty#17492: >0 switches to recvmmsg and loses gso_size
        // Up to this many datagrams per wake-up, each recvmsg one datagram or one GRO batch (Netty counts a
        // batch's segments, so one large GRO batch ends the read). The allocator's own default is 1: every
        // datagram the kernel does not coalesce (handshakes, small packets, many sources) cost a wake-up.
        c.setRecvByteBufAllocator(new FixedRecvByteBufAllocator(UdpOptions.RECEIVE_BUFFER_BYTES)
                .maxMessagesPerRead(UdpOptions.receiveMessagesPerWakeup()));
        // Netty 4.2's default (adaptive) allocator does not pool a 65 KiB buffer: every recvmsg then got a
        // fresh direct buffer, zeroed and freed by a Cleaner (5 % of the receiver's CPU in a profile).
        // The pooled allocator serves that size from its arenas.
        c.setAllocator(PooledByteBufAllocator.DEFAULT);
        c.setWriteBufferWaterMark(new WriteBufferWaterMark(o.writeLowWaterMark(), o.writeHighWaterMark()));
        boolean forced = true;
        if (o.socketBufferBytes() > 0) {
            forced &= setBuffer(ch, RCVBUF_FORCE, o.socketBufferBytes(), true);
            forced &= setBuffer(ch, SNDBUF_FORCE, o.socketBufferBytes(), false);
        }
        if (o.fwmark() != 0) {
            try {
                c.setOption(MARK, o.fwmark());
            } catch (ChannelException e) {
                throw new ChannelException("cannot set SO_MARK=" + o.fwmark() + " (needs CAP_NET_ADMIN): "
                        + rootMessage(e));
            }
        }
        return forced;
    }

    private static boolean setBuffer(EpollDatagramChannel ch, IntegerUnixChannelOption force, int bytes,
                                     boolean receive) {
        try {
            ch.config().setOption(force, bytes);
            return true;
        } catch (ChannelException eperm) {
            // No CAP_NET_ADMIN: the plain option, which the kernel caps at rmem_max/wmem_max.
            if (receive) {
                ch.config().setReceiveBufferSize(bytes);
            } else {
                ch.config().setSendBufferSize(bytes);
            }
            return false;
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    /**
     * Sets SO_MARK on every socket ({@code wg set NAME fwmark N}, live), and on those a later {@link #rebind}
     * opens; 0 clears it. Needs CAP_NET_ADMIN.
     */
    @Override
    public void setFwmark(int mark) throws IOException {
        List<EpollDatagramChannel> all = new ArrayList<>(channels);
        HandshakeSocket h = handshakeSocket;
        if (h != null) {
            all.add(h.channel());
        }
        for (EpollDatagramChannel ch : all) {
            try {
                ch.config().setOption(MARK, mark);
            } catch (ChannelException e) {
                throw new IOException("cannot set SO_MARK=" + Integer.toUnsignedString(mark) + ": " + rootMessage(e), e);
            }
        }
        Reopen r = reopen;
        reopen = new Reopen(r.loops(), r.bindAddress(), r.options().withFwmark(mark), r.handshakeSocket());
    }

    @Override
    public int localPort() {
        return port;
    }

    @Override
    public int size() {
        return channels.size();
    }

    /** The channel of loop {@code i}. */
    public EpollDatagramChannel channel(int i) {
        return channels.get(i);
    }

    @Override
    public TrainSender sender(int i) {
        return senders.get(i);
    }

    /** Whether Netty and the kernel support UDP_SEGMENT sends at all (see also {@link TrainSender#isGsoEnabled}). */
    public static boolean isSegmentedDatagramPacketSupported() {
        return EpollDatagramChannel.isSegmentedDatagramPacketSupported();
    }

    /** True when SO_RCVBUFFORCE/SO_SNDBUFFORCE took on every socket (else the sizes are capped by rmem_max). */
    public boolean buffersForced() {
        return buffersForced;
    }

    /** The receive buffer the kernel granted to channel {@code i} (twice the requested size, by convention). */
    public int receiveBufferSize(int i) {
        return channels.get(i).config().getReceiveBufferSize();
    }

    public int sendBufferSize(int i) {
        return channels.get(i).config().getSendBufferSize();
    }

    @Override
    public boolean hasHandshakeSocket() {
        return handshakeSocket != null;
    }

    /** Closes every channel; off the loops it also waits (bounded) for the closes. */
    @Override
    public void close() {
        HandshakeSocket h = handshakeSocket;
        if (h != null) {
            h.close();
        }
        for (EpollDatagramChannel ch : channels) {
            var f = ch.close();
            if (!ch.eventLoop().inEventLoop()) {
                f.awaitUninterruptibly(2000);
            }
        }
    }
}
