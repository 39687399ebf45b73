package dev.platoon.core.uapi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the byte stream of one connection into {@link UapiRequest}s. Several requests may follow
 * each other on one connection (wireguard-go loops too). Bounded: a line longer than
 * {@code maxLineLength} or a set request longer than {@code maxRequestBytes} ends the connection
 * with {@link UapiErrno#IO} (wireguard-go's code when its line scanner overflows). After a
 * {@link UapiRequest.Malformed} the rest of the stream is discarded.
 *
 * <p>A small hand-rolled cumulation instead of netty-codec's ByteToMessageDecoder: vpn-core only
 * depends on the transport, and a partial line here is at most {@code maxLineLength} bytes.
 */
final class UapiFrameDecoder extends ChannelInboundHandlerAdapter {
    /** Generous: the longest valid line (a scoped IPv6 endpoint) is well under 100 bytes. */
    static final int DEFAULT_MAX_LINE = 1024;
    /** ~100 000 lines: thousands of peers with many allowed IPs each. */
    static final int DEFAULT_MAX_REQUEST = 8 << 20;

    private enum State { OPERATION, GET_END, SHOW_END, SET_LINES, FAILED }

    private final int maxLineLength;
    private final int maxRequestBytes;
    private State state = State.OPERATION;
    private List<String> lines;
    private long requestBytes;

    UapiFrameDecoder() {
        this(DEFAULT_MAX_LINE, DEFAULT_MAX_REQUEST);
    }

    UapiFrameDecoder(int maxLineLength, int maxRequestBytes) {
        this.maxLineLength = maxLineLength;
        this.maxRequestBytes = maxRequestBytes;
    }

    private ByteBuf pending;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf data)) {
            ctx.fireChannelRead(msg);
            return;
        }
        List<Object> out = new ArrayList<>(2);
        try {
            if (pending == null || !pending.isReadable()) {
                decode(data, out);
                if (data.isReadable() && state != State.FAILED) {
                    if (pending == null) {
                        pending = ctx.alloc().heapBuffer(Math.max(256, data.readableBytes()));
                    }
                    pending.clear().writeBytes(data);
                }
            } else {
                pending.discardReadBytes().writeBytes(data);
                decode(pending, out);
            }
        } finally {
            data.release();
        }
        for (Object request : out) {
            ctx.fireChannelRead(request);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    private void decode(ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (state == State.FAILED) {
                in.skipBytes(in.readableBytes());
                return;
            }
            int lf = in.forEachByte(in.readerIndex(), Math.min(in.readableBytes(), maxLineLength + 1),
                    ByteProcessor.FIND_LF);
            if (lf < 0) {
                if (in.readableBytes() > maxLineLength) {
                    fail(out, UapiErrno.IO, "line longer than " + maxLineLength + " bytes");
                }
                return; // wait for the rest of the line
            }
            int length = lf - in.readerIndex();
            String line = in.toString(in.readerIndex(), length, StandardCharsets.ISO_8859_1);
            in.skipBytes(length + 1);
            onLine(line, out);
        }
    }

    private void onLine(String line, List<Object> out) {
        switch (state) {
            case OPERATION -> {
                if (line.equals(UapiText.GET)) {
                    state = State.GET_END;
                } else if (line.equals(UapiText.SHOW)) {
                    state = State.SHOW_END;
                } else if (line.equals(UapiText.SET)) {
                    state = State.SET_LINES;
                    lines = new ArrayList<>();
                    requestBytes = 0;
                } else {
                    fail(out, UapiErrno.INVALID, "unknown operation " + UapiValues.quote(line));
                }
            }
            case GET_END -> {
                if (line.isEmpty()) {
                    state = State.OPERATION;
                    out.add(new UapiRequest.Get());
                } else {
                    fail(out, UapiErrno.INVALID, "trailing characters after get=1");
                }
            }
            case SHOW_END -> {
                if (line.isEmpty()) {
                    state = State.OPERATION;
                    out.add(new UapiRequest.Show());
                } else {
                    fail(out, UapiErrno.INVALID, "trailing characters after show=1");
                }
            }
            case SET_LINES -> {
                if (line.isEmpty()) {
                    state = State.OPERATION;
                    out.add(new UapiRequest.Set(lines));
                    lines = null;
                    return;
                }
                requestBytes += line.length() + 1;
                if (requestBytes > maxRequestBytes) {
                    fail(out, UapiErrno.IO, "set request longer than " + maxRequestBytes + " bytes");
                    return;
                }
                lines.add(line);
            }
            case FAILED -> { }
        }
    }

    private void fail(List<Object> out, int errno, String reason) {
        state = State.FAILED;
        lines = null;
        out.add(new UapiRequest.Malformed(errno, reason));
    }
}
