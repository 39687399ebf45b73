package dev.platoon.core.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UapiFrameDecoderTest {

    private static EmbeddedChannel channel(int maxLine, int maxRequest) {
        return new EmbeddedChannel(new UapiFrameDecoder(maxLine, maxRequest));
    }

    private static void write(EmbeddedChannel ch, String s) {
        ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1));
    }

    @Test
    void getAndSetArePipelinedAndMaySplitAnywhere() {
        EmbeddedChannel ch = channel(1024, 1 << 20);
        String stream = "get=1\n\nset=1\nlisten_port=1\nfwmark=2\n\nget=1\n\n";
        for (char c : stream.toCharArray()) {
            write(ch, String.valueOf(c));
        }
        assertInstanceOf(UapiRequest.Get.class, ch.readInbound());
        UapiRequest.Set set = assertInstanceOf(UapiRequest.Set.class, ch.readInbound());
        assertEquals(List.of("listen_port=1", "fwmark=2"), set.lines());
        assertInstanceOf(UapiRequest.Get.class, ch.readInbound());
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void showIsARequestAndJunkAfterItIsEinval() {
        EmbeddedChannel ch = channel(1024, 1 << 20);
        write(ch, "show=1\n\nget=1\n\nshow=1\nx\n");
        assertInstanceOf(UapiRequest.Show.class, ch.readInbound());
        assertInstanceOf(UapiRequest.Get.class, ch.readInbound());
        assertEquals(UapiErrno.INVALID, assertInstanceOf(UapiRequest.Malformed.class, ch.readInbound()).errno());
        ch.finishAndReleaseAll();
    }

    @Test
    void emptySetIsARequest() {
        EmbeddedChannel ch = channel(1024, 1 << 20);
        write(ch, "set=1\n\n");
        assertEquals(List.of(), assertInstanceOf(UapiRequest.Set.class, ch.readInbound()).lines());
        ch.finishAndReleaseAll();
    }

    @Test
    void unknownOperationIsEinvalAndTheRestIsDiscarded() {
        EmbeddedChannel ch = channel(1024, 1 << 20);
        write(ch, "put=1\n\nget=1\n\n");
        assertEquals(UapiErrno.INVALID, assertInstanceOf(UapiRequest.Malformed.class, ch.readInbound()).errno());
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void junkAfterGetIsEinval() {
        EmbeddedChannel ch = channel(1024, 1 << 20);
        write(ch, "get=1\nx\n");
        assertEquals(UapiErrno.INVALID, assertInstanceOf(UapiRequest.Malformed.class, ch.readInbound()).errno());
        ch.finishAndReleaseAll();
    }

    @Test
    void overlongLineIsRefusedWithoutWaitingForItsEnd() {
        EmbeddedChannel ch = channel(16, 1 << 20);
        write(ch, "set=1\nallowed_ip=" + "1".repeat(32));
        assertEquals(UapiErrno.IO, assertInstanceOf(UapiRequest.Malformed.class, ch.readInbound()).errno());
        write(ch, "\n\nget=1\n\n");
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void oversizeRequestIsRefused() {
        EmbeddedChannel ch = channel(64, 100);
        StringBuilder sb = new StringBuilder("set=1\n");
        for (int i = 0; i < 20; i++) {
            sb.append("listen_port=1\n");
        }
        write(ch, sb.append('\n').toString());
        assertEquals(UapiErrno.IO, assertInstanceOf(UapiRequest.Malformed.class, ch.readInbound()).errno());
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }
}
