package dev.platoon.core.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Sends one datagram on the device's UDP socket; used by the control plane (handshake messages, cookie
 * replies, keepalives, staged packets). Thread-safe, never blocks.
 */
public interface DatagramSender {

    /**
     * Sends the remaining bytes of {@code message} to {@code to}. The bytes are copied before this returns,
     * so the caller may reuse {@code message}; its position is not changed. Failures are counted, not thrown.
     */
    void send(ByteBuffer message, InetSocketAddress to);
}
