package dev.platoon.core.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** Past the connections kept, a new one closes the oldest idle one; one with a request in flight stays. */
class IdleConnectionsTest {
    /** Quiet the expected one-line warning (held strongly: JUL keeps loggers weakly). */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger(IdleConnections.class.getName());

    static {
        QUIET.setLevel(java.util.logging.Level.SEVERE);
    }

    @Test
    void theOldestIdleConnectionMakesRoom() {
        List<Runnable> parked = new ArrayList<>();
        Executor never = parked::add; // requests stay in flight
        UapiDispatcher dispatcher = new UapiDispatcher("wgtest", new FakeUapiDevice());
        IdleConnections open = new IdleConnections("wgtest", 3);
        List<EmbeddedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UapiServerHandler handler = new UapiServerHandler(dispatcher, never);
            EmbeddedChannel ch = new EmbeddedChannel(handler);
            open.admit(ch, handler);
            channels.add(ch);
        }
        channels.getFirst().writeInbound(new UapiRequest.Get()); // busy: never closed to make room
        assertEquals(1, parked.size());

        UapiServerHandler fourth = new UapiServerHandler(dispatcher, never);
        EmbeddedChannel ch4 = new EmbeddedChannel(fourth);
        open.admit(ch4, fourth);
        assertTrue(channels.get(0).isOpen(), "the busy one stays");
        assertFalse(channels.get(1).isOpen(), "the oldest idle one makes room");
        assertTrue(channels.get(2).isOpen());
        assertTrue(ch4.isOpen(), "the new one is served");
        assertEquals(3, open.size());
        for (EmbeddedChannel c : List.of(channels.get(0), channels.get(2), ch4)) {
            c.close();
        }
        assertEquals(0, open.size());
    }
}
