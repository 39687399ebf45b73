package dev.platoon.core.datapath;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import dev.platoon.crypto.AeadEngines;

/**
 * Two {@link SuiteNode}s joined by a network, and the traffic the suite drives between their tunnel
 * addresses. The in-memory pair injects frames into one tun and reads them from the other; the
 * kernel's pair opens real sockets in two network namespaces. The suite is written once against this.
 */
interface TunnelPair extends AutoCloseable {

    /** What the suite runs over: tun offloads (trains) on or off, and the AEAD engine. */
    record Mode(boolean offloads, AeadEngines.Kind engine) {
        @Override
        public String toString() {
            return "offloads " + (offloads ? "on" : "off") + ", " + engine.label();
        }
    }

    Duration WAIT = Duration.ofSeconds(20);

    SuiteNode a();

    SuiteNode b();

    /** Sends each payload as one UDP datagram from {@code from}'s app to {@code to}'s; returns what arrived. */
    List<byte[]> udp(SuiteNode from, SuiteNode to, List<byte[]> payloads, boolean ipv6) throws Exception;

    /** Carries {@code data} over TCP from {@code from} to {@code to}; returns the bytes that arrived. */
    byte[] tcp(SuiteNode from, SuiteNode to, byte[] data) throws Exception;

    /** Sends {@code count} data messages for no session to {@code to}'s UDP port, from outside the tunnel. */
    void junk(SuiteNode to, int count) throws Exception;

    /** Moves {@code node}'s sockets to another port (a roaming client's new source). */
    void roam(SuiteNode node) throws Exception;

    /** Whether the datagrams of one {@link #udp} call reach the sending tun queue as one read batch. */
    default boolean sendsInOneRead() {
        return true;
    }

    /** The outer address {@code node}'s peer sees it at. */
    InetSocketAddress outer(SuiteNode node);

    @Override
    void close();
}
