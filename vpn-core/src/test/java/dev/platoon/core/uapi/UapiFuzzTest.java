package dev.platoon.core.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Coverage-guided fuzz target for the control-socket protocol: the byte stream of one connection
 * through {@link UapiFrameDecoder}, every {@code set} through {@link UapiSetParser}, and every
 * request through {@link UapiDispatcher} against an in-memory device.
 *
 * <p>Oracles beyond "no exception": framing does not depend on how the stream is cut into reads;
 * the parser throws only {@link UapiException}, with a non-zero errno and a one-line message that
 * holds no key material; an accepted request written back with {@link UapiText#formatSet} parses
 * to the same text again; the dispatcher answers every request with exactly one errno line.
 */
class UapiFuzzTest {
    // Small bounds so that the fuzzer reaches the "too long" paths with short inputs.
    private static final int MAX_LINE = 256;
    private static final int MAX_REQUEST = 4096;

    static {
        // The dispatcher logs every refusal; at thousands of requests a second that is only noise.
        java.util.logging.Logger.getLogger(UapiDispatcher.class.getName()).setLevel(java.util.logging.Level.OFF);
    }

    @FuzzTest(maxDuration = "10s")
    void uapiStream(FuzzedDataProvider data) {
        int[] cuts = new int[data.consumeInt(0, 8)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(1, 64);
        }
        byte[] stream = data.consumeRemainingAsBytes();
        List<Object> whole = decode(stream, new int[0]);
        List<Object> pieces = decode(stream, cuts);
        assertEquals(whole, pieces, "framing does not depend on how reads cut the stream");
        UapiDispatcher dispatcher = new UapiDispatcher("fuzz0", new FakeUapiDevice());
        for (Object o : whole) {
            UapiRequest request = (UapiRequest) o;
            if (request instanceof UapiRequest.Set set) {
                parse(set.lines());
            } else if (request instanceof UapiRequest.Malformed bad) {
                assertTrue(bad.errno() < 0, "errno is negative");
                assertTrue(oneLine(bad.reason()), () -> "reason on one line: " + bad.reason());
            }
            String response = dispatcher.handle(request);
            assertTrue(response.endsWith("\n\n"), "a response ends with a blank line");
            String[] lines = response.substring(0, response.length() - 2).split("\n", -1);
            assertTrue(lines[lines.length - 1].startsWith("errno="), () -> "last line is errno: " + response);
            assertEquals(1, response.split("errno=", -1).length - 1, "exactly one errno line");
        }
    }

    /** Decodes the stream in reads of the given sizes (cycled), the rest in one read. */
    private static List<Object> decode(byte[] stream, int[] cuts) {
        EmbeddedChannel ch = new EmbeddedChannel(new UapiFrameDecoder(MAX_LINE, MAX_REQUEST));
        int at = 0;
        for (int i = 0; at < stream.length; i++) {
            int n = cuts.length == 0 ? stream.length - at : Math.min(cuts[i % cuts.length], stream.length - at);
            ch.writeInbound(Unpooled.wrappedBuffer(stream, at, n));
            at += n;
        }
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        ch.finishAndReleaseAll();
        return out;
    }

    private static void parse(List<String> lines) {
        UapiSetRequest request;
        try {
            request = UapiSetParser.parse(lines);
        } catch (UapiException e) {
            assertNotEquals(UapiErrno.OK, e.errno());
            assertTrue(oneLine(e.getMessage()), () -> "message on one line: " + e.getMessage());
            checkNoKeyEchoed(e.getMessage(), lines);
            return;
        }
        String written = UapiText.formatSet(request);
        List<String> again = Arrays.asList(written.substring(0, written.length() - 2).split("\n", -1));
        assertEquals(UapiText.SET, again.getFirst());
        try {
            UapiSetRequest reparsed = UapiSetParser.parse(again.subList(1, again.size()));
            assertEquals(written, UapiText.formatSet(reparsed), "parse, format, parse, format is stable");
        } catch (UapiException e) {
            throw new AssertionError("formatSet wrote what the parser refuses: " + e.getMessage() + "\n" + written, e);
        }
    }

    /**
     * The line an error names ("line N: ...", N counting {@code set=1} as 1) is not echoed when it
     * may hold a key: the value of a private_key or preshared_key line, or a long line without '='.
     */
    private static void checkNoKeyEchoed(String message, List<String> lines) {
        if (!message.startsWith("line ")) {
            return;
        }
        int n = Integer.parseInt(message.substring(5, message.indexOf(':')));
        String line = lines.get(n - 2);
        int eq = line.indexOf('=');
        String secret = null;
        if (eq < 0 && line.length() > UapiSetParser.MAX_ECHOED_LINE) {
            secret = line;
        } else if (eq >= 0 && (line.startsWith("private_key=") || line.startsWith("preshared_key="))) {
            secret = line.substring(eq + 1);
        }
        // Any 16 hex digits of it (64 bits of a key) count; shorter runs would match the
        // message's own words ("expected ... digits").
        String run = secret == null ? "" : longestHexRun(secret).toLowerCase(Locale.ROOT);
        String lower = message.toLowerCase(Locale.ROOT);
        for (int i = 0; i + 16 <= run.length(); i++) {
            String piece = run.substring(i, i + 16);
            assertFalse(lower.contains(piece), () -> "key material (" + piece + ") in the message: " + message);
        }
    }

    private static String longestHexRun(String s) {
        int best = 0, bestAt = 0;
        for (int i = 0, start = 0; i <= s.length(); i++) {
            if (i == s.length() || Character.digit(s.charAt(i), 16) < 0) {
                if (i - start > best) {
                    best = i - start;
                    bestAt = start;
                }
                start = i + 1;
            }
        }
        return s.substring(bestAt, bestAt + best);
    }

    private static boolean oneLine(String m) {
        return m != null && !m.isBlank() && m.chars().noneMatch(c -> c == '\n' || c == '\r');
    }
}
