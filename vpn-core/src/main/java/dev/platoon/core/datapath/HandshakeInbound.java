package dev.platoon.core.datapath;

import dev.platoon.core.drop.Drop;

import java.net.InetSocketAddress;

import dev.platoon.core.handshake.HandshakeWorker;
import dev.platoon.core.transport.InboundSink;
import dev.platoon.crypto.Protocol;
import io.netty.buffer.ByteBuf;

/**
 * The sink of the handshake socket ({@code transport.HandshakeSocket}): every message that is not data
 * reaches it, on its own thread, and goes to the handshake worker's admission; the rest is counted.
 */
public final class HandshakeInbound implements InboundSink {
    private final HandshakeWorker handshakes;
    private final DataPathCounters counters;

    public HandshakeInbound(HandshakeWorker handshakes, DataPathCounters counters) {
        this.handshakes = handshakes;
        this.counters = counters;
    }

    @Override
    public void datagram(ByteBuf content, InetSocketAddress sender) {
        int ri = content.readerIndex();
        int len = content.readableBytes();
        if (len < 4) {
            counters.drop(Drop.SHORT_DATAGRAM);
            return;
        }
        int type = content.getIntLE(ri);
        if (type == Protocol.MESSAGE_INITIATION || type == Protocol.MESSAGE_RESPONSE
                || type == Protocol.MESSAGE_COOKIE_REPLY) {
            handshakes.submit(content.nioBuffer(ri, len), sender); // a full queue is counted by the worker
        } else if (type == Protocol.MESSAGE_TRANSPORT) {
            // Only while the steering program of a new port is being attached: the data has no loop here.
            counters.drop(Drop.MISROUTED_TRANSPORT);
        } else {
            counters.drop(Drop.BAD_MESSAGE_TYPE);
        }
    }

    @Override
    public void batchEnd() {
    }
}
