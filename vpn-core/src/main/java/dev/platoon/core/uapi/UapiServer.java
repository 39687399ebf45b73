package dev.platoon.core.uapi;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Serves the UAPI control socket {@code /var/run/wireguard/NAME.sock} for one device, on Netty epoll
 * unix-domain channels. The socket is only ever visible with mode 0600 (it is bound under a
 * temporary name, chmod-ed, then hard-linked into place — no window with a wider mode, and no
 * process-wide umask change), the directory is created 0700 if missing, and the file is removed
 * on {@link #close()} if it is still ours. A stale socket left by a dead process is replaced; a live
 * one makes {@link #start} fail with "interface NAME is already in use".
 */
public final class UapiServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UapiServer.class.getName());

    /** Where {@code wg} looks for userspace interfaces ({@code RUNSTATEDIR "/wireguard/"}). */
    public static final Path DEFAULT_DIRECTORY = Path.of("/var/run/wireguard");
    /** wg-quick's interface name rule (IFNAMSIZ − 1 characters). */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_=+.-]{1,15}");
    /** sun_path is 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;
    /**
     * Connections are not capped: like wireguard-go's, every one is served. Idle ones (nothing sent, no
     * request in flight) close after {@link UapiServerHandler#IDLE_TIMEOUT_SECONDS}, and past this many
     * open connections each new one closes the oldest idle one first, so a process that opens thousands
     * and sends nothing can neither keep {@code wg} out nor use up the file descriptors.
     */
    static final int IDLE_CONNECTIONS_KEPT = 1024;

    private final String interfaceName;
    private final Path socketPath;
    private final Object socketFileKey;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final EventLoopGroup ownedGroup;
    private final ExecutorService ownedExecutor;
    private volatile boolean closed;

    private UapiServer(String interfaceName, Path socketPath, Object socketFileKey, Channel serverChannel,
                       ChannelGroup connections, EventLoopGroup ownedGroup, ExecutorService ownedExecutor) {
        this.interfaceName = interfaceName;
        this.socketPath = socketPath;
        this.socketFileKey = socketFileKey;
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.ownedGroup = ownedGroup;
        this.ownedExecutor = ownedExecutor;
    }

    /** Starts serving {@code /var/run/wireguard/NAME.sock} with its own event loop and request thread. */
    public static UapiServer start(String interfaceName, UapiDevice device) throws IOException {
        return builder(interfaceName, device).start();
    }

    public static Builder builder(String interfaceName, UapiDevice device) {
        return new Builder(interfaceName, device);
    }

    /** {@code DIR/NAME.sock}, after checking the name like wg-quick does. */
    public static Path socketPath(Path directory, String interfaceName) {
        if (interfaceName == null || !NAME.matcher(interfaceName).matches()) {
            throw new IllegalArgumentException("invalid interface name " + UapiValues.quote(String.valueOf(interfaceName))
                    + " (1-15 characters of a-z A-Z 0-9 _ = + . -)");
        }
        return directory.resolve(interfaceName + ".sock");
    }

    public String interfaceName() {
        return interfaceName;
    }

    public Path socketPath() {
        return socketPath;
    }

    /** Stops accepting, closes open connections, removes the socket file (if still ours). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        try {
            if (socketFileKey.equals(fileKey(socketPath))) {
                Files.deleteIfExists(socketPath);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}: could not remove {1}: {2}", interfaceName, socketPath, e.toString());
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Removes {@code /var/run/wireguard/NAME.sock} when nobody listens on it any more (its process died);
     * returns whether there was one. A live socket, or a file that is not a socket, stays.
     */
    public static boolean removeStale(String interfaceName) {
        Path path = socketPath(DEFAULT_DIRECTORY, interfaceName);
        try {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            UapiSocketFiles.clearStale(path, interfaceName);
            return true;
        } catch (IOException e) {
            return false; // live (another process serves the name) or not a socket: start says so
        }
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Options for {@link UapiServer}; defaults suit {@code platoon up}. */
    public static final class Builder {
        private final String interfaceName;
        private final UapiDevice device;
        private Path directory = DEFAULT_DIRECTORY;
        private EventLoopGroup group;
        private Executor executor;

        private Builder(String interfaceName, UapiDevice device) {
            this.interfaceName = interfaceName;
            this.device = Objects.requireNonNull(device, "device");
        }

        /** Directory of the socket (tests); default {@link #DEFAULT_DIRECTORY}. */
        public Builder socketDirectory(Path directory) {
            this.directory = Objects.requireNonNull(directory);
            return this;
        }

        /** An epoll event-loop group to share (not shut down by the server); default: one own thread. */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = group;
            return this;
        }

        /**
         * Where {@link UapiDevice} calls run (not shut down by the server); default: one own thread,
         * which serialises all requests like wireguard-go's ipcMutex.
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * Binds the socket and starts serving. Fails with an {@link IOException} whose message is one
         * line: "interface NAME is already in use", a path that is not a socket, permissions, ….
         */
        public UapiServer start() throws IOException {
            Path path = socketPath(directory, interfaceName);
            if (path.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length + 24 > MAX_SOCKET_PATH) {
                throw new IOException("socket path " + path + " is too long for a unix socket");
            }
            Epoll.ensureAvailability();
            UapiSocketFiles.prepareDirectory(directory);
            UapiSocketFiles.clearStale(path, interfaceName);

            EventLoopGroup ownedGroup = group == null
                    ? new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("uapi-io-" + interfaceName, true),
                    EpollIoHandler.newFactory())
                    : null;
            ExecutorService ownedExecutor = executor == null
                    ? Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("uapi-" + interfaceName).factory())
                    : null;
            EventLoopGroup loops = group != null ? group : ownedGroup;
            Executor requests = executor != null ? executor : ownedExecutor;
            ChannelGroup connections = new DefaultChannelGroup("uapi-" + interfaceName, GlobalEventExecutor.INSTANCE);
            UapiDispatcher dispatcher = new UapiDispatcher(interfaceName, device);
            IdleConnections idle = new IdleConnections(interfaceName, IDLE_CONNECTIONS_KEPT);
            Path temp = path.resolveSibling("." + interfaceName + ".sock." + ProcessHandle.current().pid() + "."
                    + Integer.toHexString(ThreadLocalRandom.current().nextInt()));
            Channel server = null;
            try {
                server = new ServerBootstrap()
                        .group(loops)
                        .channel(EpollServerDomainSocketChannel.class)
                        .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
                            @Override
                            protected void initChannel(EpollDomainSocketChannel ch) {
                                UapiServerHandler handler = new UapiServerHandler(dispatcher, requests);
                                idle.admit(ch, handler);
                                connections.add(ch);
                                ch.pipeline().addLast(new UapiFrameDecoder(), handler);
                            }
                        })
                        .bind(new DomainSocketAddress(temp.toString()))
                        .syncUninterruptibly()
                        .channel();
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                UapiSocketFiles.publish(temp, path, interfaceName);
                Object key = fileKey(path);
                LOG.log(Level.DEBUG, "{0}: UAPI listening on {1}", interfaceName, path);
                return new UapiServer(interfaceName, path, key, server, connections, ownedGroup, ownedExecutor);
            } catch (IOException | RuntimeException e) {
                if (server != null) {
                    server.close().awaitUninterruptibly(5, TimeUnit.SECONDS); // Netty unlinks the temp name
                }
                Files.deleteIfExists(temp);
                if (ownedExecutor != null) {
                    ownedExecutor.shutdown();
                }
                if (ownedGroup != null) {
                    ownedGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
                }
                if (e instanceof IOException io) {
                    throw io;
                }
                throw new IOException("cannot listen on " + path + ": " + e.getMessage(), e);
            }
        }
    }
}
