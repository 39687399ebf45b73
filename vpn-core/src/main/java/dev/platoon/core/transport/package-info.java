/**
 * Netty plumbing of the data path: the UDP socket per queue loop, GSO/GRO trains, the tun queue as an
 * {@link io.netty.channel.epoll.EpollIoHandle} on the same loop, backpressure, loop-group setup, and the
 * control plane's {@link dev.platoon.core.transport.DatagramSender}.
 *
 * <h2>Decisions, and why</h2>
 * <ul>
 *   <li><b>Dual-stack sockets</b> ({@code ::} with IPV6_V6ONLY=0, set explicitly against
 *       {@code bindv6only=1}), not one v4 + one v6 socket per loop. Tested here (kernel 6.18, Netty 4.2.18):
 *       a UDP_SEGMENT send to an IPv4-mapped destination goes out as a train, a GRO batch from 127.0.0.1
 *       arrives as one batch with its segment size, and Netty reports the sender as a plain
 *       {@code Inet4Address} ({@code UdpBindTest}). One socket per loop halves fds, epoll entries and
 *       flushes. An IPv4 bind address gives IPv4-only sockets for hosts without IPv6.</li>
 *   <li><b>SO_REUSEPORT</b> on every socket, one per loop: the kernel spreads peers (4-tuple hash) over
 *       loops without a hand-off thread. Port 0 binds the first socket to an ephemeral port, the rest
 *       join it.</li>
 *   <li><b>UDP_GRO on, MAX_DATAGRAM_PAYLOAD_SIZE 0</b>: a non-zero size makes Netty use recvmmsg, which
 *       drops the GRO segment size (netty#17492). With 0, one recvmsg returns one GRO batch that Netty splits
 *       into per-segment DatagramPackets.</li>
 *   <li><b>Up to 16 datagrams per receive wake-up</b> ({@code maxMessagesPerRead}; the fixed allocator's
 *       default is 1): recvmsg is called again until 16 datagrams came (a GRO batch counts all its
 *       segments) or the socket is empty, and the wake-up ends with channelReadComplete = {@link
 *       dev.platoon.core.transport.InboundSink#batchEnd()}. Datagrams the kernel cannot coalesce —
 *       handshakes, small packets, many sources, a flood — then cost a wake-up per 16, not one each.</li>
 *   <li><b>Control sends off the loops use sendto(2) directly</b> ({@link
 *       dev.platoon.core.transport.ChannelDatagramSender}): a cookie reply from the handshake thread
 *       written through the channel would be a task and a wake-up on a data loop.</li>
 *   <li><b>Receive buffers of 64 KiB + 1 KiB</b> (FixedRecvByteBufAllocator, from the pooled allocator: the
 *       adaptive default does not pool that size): a GRO batch carries up to
 *       64 KiB of payload; a smaller buffer would truncate it without an error.</li>
 *   <li><b>8 MiB socket buffers</b>, via SO_RCVBUFFORCE/SO_SNDBUFFORCE (Netty's IntegerUnixChannelOption,
 *       no JNA) when CAP_NET_ADMIN allows, else SO_RCVBUF/SO_SNDBUF capped at rmem_max/wmem_max. The
 *       default 208 KiB overflows under a tunnel (RcvbufErrors).</li>
 *   <li><b>SO_MARK</b> only when a fwmark is configured (it needs CAP_NET_ADMIN; wg's fwmark).</li>
 *   <li><b>Write water marks 1 MiB / 5 MiB</b>: one tun read budget (64 frames of ≤ 64 KiB ≈ 4 MiB of
 *       trains) fits under the high mark, so a healthy socket never pauses the tun mid-batch, while a full
 *       send buffer stops tun reading before Netty holds more than a few MiB
 *       ({@link dev.platoon.core.transport.QueueLoop}).</li>
 *   <li><b>GSO fallback</b>: the kernel refuses UDP_SEGMENT with EIO when the route's device cannot
 *       checksum or the route is xfrm (on 6.18 a tun device without offloads still accepts it); old kernels
 *       say EOPNOTSUPP/ENOPROTOOPT. {@link dev.platoon.core.transport.TrainSender} keeps one extra reference
 *       to each train until its write completes, so on such a failure it turns GSO off for the channel,
 *       counts it and re-sends the same bytes as single datagrams.</li>
 *   <li><b>Flush once per batch</b>: writes queue in Netty's outbound buffer during a tun read batch and
 *       go out in one sendmmsg at batchEnd.</li>
 *   <li><b>Tun fd on the loop</b>: level-triggered EPOLLIN, at most 64 frames per wakeup (then the loop
 *       serves the UDP socket and tasks), one reusable direct buffer with head/tail room, reads with
 *       {@code FileDescriptor.readAddress} (no JNA on the hot path). The fd is made O_NONBLOCK (JNA fcntl,
 *       once). A read error other than EAGAIN cancels the registration: epoll reports EPOLLERR whatever the
 *       mask, and a vanished device would otherwise spin the loop.</li>
 *   <li><b>Network namespace</b>: sockets and tun devices belong to the namespace of the thread that
 *       creates them. {@link dev.platoon.core.transport.UdpBind#open} creates its channels on the calling
 *       thread (registration and bind then happen on the loops, which does not change the namespace).</li>
 *   <li><b>fd ownership</b>: tun-io's {@code TunQueue} owns the queue fd; {@link
 *       dev.platoon.core.transport.TunQueueHandle} only serves it (unless built with {@code ownsFd}). Close
 *       queue loops before the device: a closed fd number can be reused by the next open.</li>
 *   <li><b>Pause = EPOLLERR mask</b>, not NONE: in Netty 4.2.18 submitting NONE removes the fd from epoll
 *       and a later EPOLLIN submit fails with ENOENT (found by {@code TunQueueHandleTest}).</li>
 *   <li><b>Kernel loss counters</b> ({@link dev.platoon.core.transport.KernelUdpStats}): RcvbufErrors and
 *       SndbufErrors of the namespace, so a user sees socket-buffer overflows we cannot count ourselves.</li>
 *   <li><b>Receive ownership</b>: each datagram is released right after the sink returns; the sink
 *       decrypts in place and copies into its tun frame, or retains.</li>
 * </ul>
 */
package dev.platoon.core.transport;
