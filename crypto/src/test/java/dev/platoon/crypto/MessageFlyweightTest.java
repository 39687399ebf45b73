package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class MessageFlyweightTest {

    @Test
    void handshakeMessagesEndWithTheirTwoMacs() {
        byte[] b = new byte[200];
        InitiationMessage init = new InitiationMessage().wrap(b, 7);
        assertEquals(7 + Protocol.MESSAGE_INITIATION_SIZE, init.end());
        assertEquals(init.end() - 2 * Protocol.MAC_LENGTH, init.mac1Offset());
        assertEquals(init.end() - Protocol.MAC_LENGTH, init.mac2Offset());
        assertEquals(init.mac1Offset(), Protocol.mac1Offset(7, Protocol.MESSAGE_INITIATION_SIZE));
        assertEquals(init.mac2Offset(), Protocol.mac2Offset(7, Protocol.MESSAGE_INITIATION_SIZE));
        ResponseMessage resp = new ResponseMessage().wrap(b, 3);
        assertEquals(resp.end() - 2 * Protocol.MAC_LENGTH, resp.mac1Offset());
        assertEquals(resp.emptyOffset() + Protocol.TAG_LENGTH, resp.mac1Offset());
        assertEquals(resp.mac1Offset(), Protocol.mac1Offset(3, Protocol.MESSAGE_RESPONSE_SIZE));
        CookieReplyMessage reply = new CookieReplyMessage().wrap(b, 0);
        assertEquals(Protocol.MESSAGE_COOKIE_REPLY_SIZE,
                reply.cookieOffset() + Protocol.COOKIE_LENGTH + Protocol.TAG_LENGTH);
    }

    @Test
    void handshakeFieldsAreLittleEndianAfterTheHeader() {
        byte[] b = new byte[Protocol.MESSAGE_RESPONSE_SIZE];
        ResponseMessage m = new ResponseMessage().wrap(b, 0).writeHeader().sender(0x04030201).receiver(-2);
        assertArrayEquals(new byte[] {2, 0, 0, 0, 1, 2, 3, 4, -2, -1, -1, -1}, java.util.Arrays.copyOf(b, 12));
        assertEquals(Protocol.MESSAGE_RESPONSE, Protocol.messageType(b, 0));
        assertEquals(0x04030201, m.sender());
        assertEquals(-2, m.receiver());
    }

    @Test
    void transportHeaderIsLittleEndianWhateverTheBufferOrder() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer buf = ByteBuffer.allocate(40).order(order);
            TransportHeader h = new TransportHeader().wrap(buf, 4).write(0x0a0b0c0d, 0x0102030405060708L);
            byte[] wire = new byte[16];
            buf.get(4, wire);
            assertArrayEquals(new byte[] {4, 0, 0, 0, 0x0d, 0x0c, 0x0b, 0x0a, 8, 7, 6, 5, 4, 3, 2, 1}, wire, order.toString());
            assertEquals(Protocol.MESSAGE_TRANSPORT, h.typeWord());
            assertEquals(0x0a0b0c0d, h.receiver());
            assertEquals(0x0102030405060708L, h.counter());
            assertEquals(4 + Protocol.MESSAGE_TRANSPORT_HEADER_SIZE, h.packetOffset());
        }
    }
}
