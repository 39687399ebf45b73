package dev.platoon.core.uapi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One connection: hands each framed request to the request executor (the device may block, the
 * event loop must not) and writes the answers back in request order. Reading pauses while requests
 * are in flight, so a client that pipelines cannot queue unbounded work. A connection that sends
 * no complete request for {@link #IDLE_TIMEOUT_SECONDS} is closed.
 */
final class UapiServerHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(UapiServerHandler.class.getName());
    static final long IDLE_TIMEOUT_SECONDS = 30;

    private final UapiDispatcher dispatcher;
    private final Executor executor;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null); // event loop only
    private int inFlight; // event loop only
    private ScheduledFuture<?> idleTimer;
    private volatile boolean idle = true; // read from the accepting thread: nothing in flight, nothing pending

    UapiServerHandler(UapiDispatcher dispatcher, Executor executor) {
        this.dispatcher = dispatcher;
        this.executor = executor;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        armIdleTimer(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof UapiRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
        inFlight++;
        idle = false;
        ctx.channel().config().setAutoRead(false);
        boolean closeAfter = request instanceof UapiRequest.Malformed;
        tail = tail.handle((ok, err) -> null)
                .thenApplyAsync(ignored -> dispatcher.handle(request), executor)
                .handle((response, err) -> {
                    if (err != null) { // the executor refused (shutting down): nobody will answer
                        ctx.close();
                        return null;
                    }
                    ByteBuf out = ctx.alloc().buffer(response.length());
                    // UTF-8: get/set answers are ASCII, a show=1 status may name things in other scripts.
                    out.writeCharSequence(response, StandardCharsets.UTF_8);
                    var written = ctx.writeAndFlush(out);
                    if (closeAfter) {
                        written.addListener(ChannelFutureListener.CLOSE);
                    }
                    ctx.executor().execute(() -> finished(ctx));
                    return null;
                });
    }

    private void finished(ChannelHandlerContext ctx) {
        if (--inFlight == 0 && ctx.channel().isActive()) {
            idle = true;
            armIdleTimer(ctx);
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** No request in flight: closing it loses nobody an answer. */
    boolean isIdle() {
        return idle;
    }

    private void armIdleTimer(ChannelHandlerContext ctx) {
        idleTimer = ctx.executor().schedule(() -> {
            if (inFlight == 0) {
                ctx.close();
            }
        }, IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a peer that resets its connection is ordinary; anything else is worth one line
        LOG.log(Level.DEBUG, "UAPI connection closed: {0}", cause.toString());
        ctx.close();
    }
}
