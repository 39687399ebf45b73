package dev.platoon.core.transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import dev.platoon.crypto.Protocol;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.RawUnixChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A socket and a thread of their own for handshake messages, so that the queue loops only ever read
 * data messages: under a flood of initiations (anyone who knows the public key can make them) the
 * loops carrying the tunnel's traffic no longer share their reads with the attacker's datagrams.
 *
 * <p>It joins the SO_REUSEPORT group of the loops' sockets last, at index {@code n} after their
 * {@code 0..n-1}, and a classic BPF program attached to the group picks each datagram's socket: a
 * message of type 4 goes to socket {@code receiver index mod n} (a session's data stays on one loop, as
 * the kernel's 4-tuple hash kept it before), anything else to socket {@code n}. The kernel runs the
 * program with the packet's data at the UDP payload. Where the kernel refuses the program, there is
 * no handshake socket and the loops read everything, as without it.
 */
public final class HandshakeSocket implements AutoCloseable {
    private static final int SO_ATTACH_REUSEPORT_CBPF = 51;
    private static final RawUnixChannelOption ATTACH_REUSEPORT_CBPF = new RawUnixChannelOption(
            "SO_ATTACH_REUSEPORT_CBPF", UdpBind.SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, 16);
    /** The message type of data, and where its receiver index starts. */
    private static final int TRANSPORT = Protocol.MESSAGE_TRANSPORT;
    private static final int RECEIVER_OFFSET = Protocol.TRANSPORT_RECEIVER;

    private final MultiThreadIoEventLoopGroup group;
    private final EpollDatagramChannel channel;

    private final TransportCounters counters;

    private HandshakeSocket(MultiThreadIoEventLoopGroup group, EpollDatagramChannel channel,
                            TransportCounters counters) {
        this.group = group;
        this.channel = channel;
        this.counters = counters;
    }

    /** Starts handing what arrives to {@code sink}, on this socket's own thread. */
    void receive(InboundSink sink) {
        channel.pipeline().addLast("receiver", new DatagramReceiver(sink, counters, true));
        channel.config().setAutoRead(true);
    }

    /** Whether to make one ({@code -Dplatoon.udp.handshakeSocket=false}: the loops read everything). */
    public static boolean wanted() {
        return !"false".equals(System.getProperty("platoon.udp.handshakeSocket"));
    }

    /**
     * Opens the socket on {@code local} (the port the {@code dataSockets} loop sockets are bound to, all
     * in one SO_REUSEPORT group), and attaches the steering program to the group. Throws one line when
     * the kernel refuses either; nothing is left open then.
     */
    @SuppressWarnings("deprecation") // IoEventLoop.register(ChannelPromise), as UdpBind
    static HandshakeSocket open(boolean v4, InetSocketAddress local, int dataSockets, UdpOptions options,
                                TransportCounters counters) throws IOException, InterruptedException {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("platoon-handshake-rx", true), EpollIoHandler.newFactory());
        // Created on the caller's thread, as the loops' sockets: socket(2) takes its network namespace.
        EpollDatagramChannel ch = new EpollDatagramChannel(v4 ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6);
        try {
            if (!v4) {
                ch.config().setOption(UdpBind.V6ONLY, 0);
            }
            UdpBind.configure(ch, options);
            ch.config().setUdpGro(false); // handshake messages are never coalesced
            ch.config().setAutoRead(false); // until receive(sink)
            IoEventLoop loop = group.next();
            loop.register(new DefaultChannelPromise(ch, loop)).sync();
            try {
                ch.bind(local).sync();
            } catch (Exception e) {
                throw new IOException("cannot bind the handshake socket to " + local + ": " + e.getMessage(), e);
            }
            attach(ch, dataSockets);
            return new HandshakeSocket(group, ch, counters);
        } catch (IOException | InterruptedException | RuntimeException e) {
            ch.close().awaitUninterruptibly(2000);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Attaches {@link #program} to the SO_REUSEPORT group of {@code anyMember}. */
    private static void attach(EpollDatagramChannel anyMember, int dataSockets) throws IOException {
        long[] insns = program(dataSockets);
        try (Arena arena = Arena.ofConfined()) {
            // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }, in host order, copied by the kernel.
            MemorySegment filter = arena.allocate(8L * insns.length, 8);
            for (int i = 0; i < insns.length; i++) {
                filter.set(ValueLayout.JAVA_LONG, 8L * i, insns[i]);
            }
            // struct sock_fprog { u16 len; struct sock_filter *filter; }
            ByteBuffer fprog = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
            fprog.putShort(0, (short) insns.length).putLong(8, filter.address());
            anyMember.config().setOption(ATTACH_REUSEPORT_CBPF, fprog);
        } catch (RuntimeException e) {
            throw new IOException("the kernel refused the handshake steering program (SO_ATTACH_REUSEPORT_CBPF): "
                    + e.getMessage(), e);
        }
    }

    /**
     * The steering program, one classic BPF instruction per long ({@code code | jt << 16 | jf << 24 |
     * k << 32}, which is {@code struct sock_filter} on a little-endian host).
     *
     * <pre>
     *   ldb [0]                 ; A = the message type (a datagram too short for it: the program ends, 0)
     *   jeq #4, 0, 3            ; data?
     *   ld  [4]                 ; A = the receiver index (4 bytes; its byte order does not matter here)
     *   mod #n
     *   ret a                   ; data: socket (index mod n)
     *   ret #n                  ; everything else: the handshake socket
     * </pre>
     */
    static long[] program(int dataSockets) {
        if (dataSockets <= 0) {
            throw new IllegalArgumentException("data sockets: " + dataSockets);
        }
        return new long[] {
            insn(0x30, 0, 0, 0),                  // BPF_LD | BPF_B | BPF_ABS
            insn(0x15, 0, 3, TRANSPORT),          // BPF_JMP | BPF_JEQ | BPF_K
            insn(0x20, 0, 0, RECEIVER_OFFSET),    // BPF_LD | BPF_W | BPF_ABS
            insn(0x94, 0, 0, dataSockets),        // BPF_ALU | BPF_MOD | BPF_K
            insn(0x16, 0, 0, 0),                  // BPF_RET | BPF_A
            insn(0x06, 0, 0, dataSockets),        // BPF_RET | BPF_K
        };
    }

    private static long insn(int code, int jt, int jf, int k) {
        return (code & 0xffffL) | (jt & 0xffL) << 16 | (jf & 0xffL) << 24 | (k & 0xffffffffL) << 32;
    }

    EpollDatagramChannel channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2000);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
