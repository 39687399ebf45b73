package dev.platoon.core.transport;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * Receives the datagrams of one UDP channel, on that channel's loop thread.
 *
 * <p>A GRO batch arrives as consecutive {@link #datagram} calls (one per segment, slices of one receive
 * buffer) followed by one {@link #batchEnd()}. The content is released right after {@code datagram}
 * returns: the sink may modify it in place (decrypt) but must {@code retain()} it to keep it longer.
 */
public interface InboundSink {

    /** One datagram; {@code content}'s readable bytes are the UDP payload. */
    void datagram(ByteBuf content, InetSocketAddress sender);

    /** End of a receive batch: the moment to flush coalesced tun writes. */
    void batchEnd();
}
