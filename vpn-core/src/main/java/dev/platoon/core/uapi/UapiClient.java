package dev.platoon.core.uapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small blocking UAPI client (JDK unix-domain sockets, no Netty) for {@code platoon show} /
 * {@code syncconf} and tests. One connection carries any number of requests. Every read has a
 * deadline, and responses are bounded, so a stuck or hostile server cannot hang or exhaust the caller.
 */
public final class UapiClient implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Far above any real response (≈ 400 bytes per peer plus 30 per allowed IP). */
    static final int MAX_RESPONSE = 64 << 20;

    private final SocketChannel channel;
    private final Selector selector;
    private final long timeoutMillis;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16384);

    private UapiClient(SocketChannel channel, Selector selector, Duration timeout) {
        this.channel = channel;
        this.selector = selector;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
    }

    /** Connects to {@code /var/run/wireguard/NAME.sock}. */
    public static UapiClient connect(String interfaceName) throws IOException {
        return connect(UapiServer.socketPath(UapiServer.DEFAULT_DIRECTORY, interfaceName), DEFAULT_TIMEOUT);
    }

    public static UapiClient connect(Path socket, Duration timeout) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            Selector selector = Selector.open();
            ch.register(selector, SelectionKey.OP_READ);
            return new UapiClient(ch, selector, timeout);
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot connect to " + socket + ": " + e.getMessage(), e);
        }
    }

    /** Names of the interfaces with a live socket in {@code directory} (like {@code wg show interfaces}). */
    public static List<String> interfaces(Path directory) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory, "*.sock")) {
            for (Path p : dir) {
                String file = p.getFileName().toString();
                if (!file.startsWith(".") && Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther() && UapiSocketFiles.isLive(p)) {
                    names.add(file.substring(0, file.length() - ".sock".length()));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    /** {@code get=1}: the device as it is now. Throws {@link UapiException} on a non-zero errno. */
    public UapiSnapshot get() throws IOException, UapiException {
        List<String> lines = exchange(UapiText.GET + "\n\n");
        checkErrno(lines);
        return UapiText.parseGet(lines);
    }

    /** {@code show=1}: what {@code platoon show} prints, as the device renders it now. */
    public String show() throws IOException, UapiException {
        List<String> lines = exchange(UapiText.SHOW + "\n\n");
        checkErrno(lines);
        return UapiText.parseShow(lines);
    }

    /** {@code set=1}: applies the request. Throws {@link UapiException} on a non-zero errno. */
    public void set(UapiSetRequest request) throws IOException, UapiException {
        checkErrno(exchange(UapiText.formatSet(request)));
    }

    /**
     * Sends raw request text as is and returns the response lines before the terminating blank line
     * (the last is normally {@code errno=N}). For tests and diagnostics.
     */
    public List<String> exchange(String request) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                await(SelectionKey.OP_WRITE, deadline);
            }
        }
        ByteArrayOutputStream response = new ByteArrayOutputStream(512);
        while (true) {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n < 0) {
                throw new IOException("the UAPI server closed the connection without a complete answer");
            }
            if (n == 0) {
                await(SelectionKey.OP_READ, deadline);
                continue;
            }
            response.write(readBuffer.array(), 0, n);
            if (response.size() > MAX_RESPONSE) {
                throw new IOException("UAPI response longer than " + MAX_RESPONSE + " bytes");
            }
            byte[] bytes = response.toByteArray(); // responses are small; simplicity over copies
            int end = endOfResponse(bytes);
            if (end >= 0) {
                String text = new String(bytes, 0, end, StandardCharsets.UTF_8); // ASCII but for show=1
                return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n", -1));
            }
        }
    }

    /** Index of the blank line's position (exclusive end of the last line), or −1 if not yet there. */
    private static int endOfResponse(byte[] b) {
        if (b.length == 1 && b[0] == '\n') {
            return 0;
        }
        for (int i = 1; i < b.length; i++) {
            if (b[i] == '\n' && b[i - 1] == '\n') {
                return i - 1;
            }
        }
        return -1;
    }

    private void await(int op, long deadline) throws IOException {
        SelectionKey key = channel.keyFor(selector);
        key.interestOps(op);
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0 || selector.select(left) == 0 && System.nanoTime() >= deadline) {
            throw new IOException("the UAPI server did not answer within " + timeoutMillis + " ms");
        }
        selector.selectedKeys().clear();
    }

    private static void checkErrno(List<String> lines) throws UapiException, IOException {
        if (lines.isEmpty() || !lines.getLast().startsWith("errno=")) {
            throw new IOException("UAPI response without errno line");
        }
        String value = lines.getLast().substring("errno=".length());
        int errno;
        try {
            errno = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IOException("bad errno line in UAPI response: " + UapiValues.quote(value));
        }
        if (errno != 0) {
            throw new UapiException(errno, "the device refused the request (errno " + errno + ", "
                    + UapiErrno.name(errno) + ")");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
