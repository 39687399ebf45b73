package dev.platoon.crypto;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Every constant of the WireGuard protocol, by the whitepaper's names, in one place. vpn-core's
 * timers read theirs from here too, so a reader never has to wonder which copy is the right one.
 *
 * <p>Message counters are unsigned 64-bit numbers; compare them with {@link Long#compareUnsigned}.
 */
public final class Protocol {
    private Protocol() {
    }

    // ---- Noise names (whitepaper 5.4) ----
    public static final String CONSTRUCTION = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";
    public static final String IDENTIFIER = "WireGuard v1 zx2c4 Jason@zx2c4.com";
    public static final String LABEL_MAC1 = "mac1----";
    public static final String LABEL_COOKIE = "cookie--";

    static final byte[] CONSTRUCTION_BYTES = CONSTRUCTION.getBytes(StandardCharsets.US_ASCII);
    static final byte[] IDENTIFIER_BYTES = IDENTIFIER.getBytes(StandardCharsets.US_ASCII);
    static final byte[] LABEL_MAC1_BYTES = LABEL_MAC1.getBytes(StandardCharsets.US_ASCII);
    static final byte[] LABEL_COOKIE_BYTES = LABEL_COOKIE.getBytes(StandardCharsets.US_ASCII);

    // ---- message types: the first byte of every message, followed by three zero bytes ----
    public static final int MESSAGE_INITIATION = 1;
    public static final int MESSAGE_RESPONSE = 2;
    public static final int MESSAGE_COOKIE_REPLY = 3;
    public static final int MESSAGE_TRANSPORT = 4;

    // ---- sizes in bytes ----
    public static final int KEY_LENGTH = 32;
    public static final int TAG_LENGTH = 16;
    public static final int MAC_LENGTH = 16;
    public static final int COOKIE_LENGTH = 16;
    public static final int COOKIE_NONCE_LENGTH = 24;
    public static final int TAI64N_LENGTH = 12;
    public static final int MESSAGE_INITIATION_SIZE = 148;
    public static final int MESSAGE_RESPONSE_SIZE = 92;
    public static final int MESSAGE_COOKIE_REPLY_SIZE = 64;
    /** type(1) reserved(3) receiver(4) counter(8). */
    public static final int MESSAGE_TRANSPORT_HEADER_SIZE = 16;
    /** Smallest transport message: header and the tag of an empty (keepalive) payload. */
    public static final int MESSAGE_TRANSPORT_MIN_SIZE = MESSAGE_TRANSPORT_HEADER_SIZE + TAG_LENGTH;
    /** Plaintext of a transport message is zero-padded to a multiple of this (the caller pads). */
    public static final int PADDING_MULTIPLE = 16;

    // ---- message layouts (offsets from the first byte) ----
    public static final int OFFSET_TYPE = 0;
    public static final int INITIATION_SENDER = 4;
    public static final int INITIATION_EPHEMERAL = 8;
    public static final int INITIATION_STATIC = 40;      // 32 + 16 tag
    public static final int INITIATION_TIMESTAMP = 88;   // 12 + 16 tag
    public static final int INITIATION_MAC1 = 116;
    public static final int INITIATION_MAC2 = 132;
    public static final int RESPONSE_SENDER = 4;
    public static final int RESPONSE_RECEIVER = 8;
    public static final int RESPONSE_EPHEMERAL = 12;
    public static final int RESPONSE_EMPTY = 44;         // 0 + 16 tag
    public static final int RESPONSE_MAC1 = 60;
    public static final int RESPONSE_MAC2 = 76;
    public static final int COOKIE_REPLY_RECEIVER = 4;
    public static final int COOKIE_REPLY_NONCE = 8;
    public static final int COOKIE_REPLY_COOKIE = 32;    // 16 + 16 tag
    public static final int TRANSPORT_RECEIVER = 4;
    public static final int TRANSPORT_COUNTER = 8;
    public static final int TRANSPORT_DATA = 16;

    // ---- limits and timers (whitepaper 6.1) ----
    /** 2^60: after this many messages the initiator starts a new handshake. */
    public static final long REKEY_AFTER_MESSAGES = 1L << 60;
    /** 2^64 - 2^13 - 1, unsigned: no message is sent or accepted with a counter at or past this. */
    public static final long REJECT_AFTER_MESSAGES = 0xFFFF_FFFF_FFFF_DFFFL;
    public static final Duration REKEY_AFTER_TIME = Duration.ofSeconds(120);
    public static final Duration REJECT_AFTER_TIME = Duration.ofSeconds(180);
    public static final Duration REKEY_ATTEMPT_TIME = Duration.ofSeconds(90);
    public static final Duration REKEY_TIMEOUT = Duration.ofSeconds(5);
    /** Upper bound of the random jitter added to REKEY_TIMEOUT (wireguard-go: 333 ms). */
    public static final Duration REKEY_TIMEOUT_JITTER_MAX = Duration.ofMillis(333);
    public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);
    /** Age after which a cookie secret is replaced and a received cookie is no longer used. */
    public static final Duration COOKIE_REFRESH_TIME = Duration.ofSeconds(120);
    /** wireguard-go refuses initiations from one peer closer together than this (flood guard). */
    public static final Duration HANDSHAKE_INITIATION_RATE = Duration.ofMillis(50);
    /** REKEY_ATTEMPT_TIME / REKEY_TIMEOUT: initiation retries before giving up. */
    public static final int MAX_TIMER_HANDSHAKES = 18;

    public static final long REKEY_AFTER_TIME_NANOS = REKEY_AFTER_TIME.toNanos();
    public static final long REJECT_AFTER_TIME_NANOS = REJECT_AFTER_TIME.toNanos();
    public static final long REKEY_ATTEMPT_TIME_NANOS = REKEY_ATTEMPT_TIME.toNanos();
    public static final long REKEY_TIMEOUT_NANOS = REKEY_TIMEOUT.toNanos();
    public static final long KEEPALIVE_TIMEOUT_NANOS = KEEPALIVE_TIMEOUT.toNanos();
    public static final long COOKIE_REFRESH_TIME_NANOS = COOKIE_REFRESH_TIME.toNanos();

    /** Packets the replay window remembers behind the newest one (RFC 6479 ring of 64-bit blocks). */
    public static final int REPLAY_WINDOW_SIZE = ReplayWindow.WINDOW_SIZE;

    /**
     * The length a plaintext of {@code length} bytes is zero-padded to before sealing: the next multiple
     * of {@link #PADDING_MULTIPLE}, but not past {@code mtu} — and for a packet already longer than the
     * MTU, the padding its remainder modulo the MTU would get. This is wireguard-go's
     * calculatePaddingSize, so that platoon's messages have the lengths every other implementation's
     * would (at MTU 1420: 1419 → 1420, 1420 → 1420, 1510 → 1516). {@code mtu} 0: no MTU, round up.
     */
    public static int paddedLength(int length, int mtu) {
        int multiple = PADDING_MULTIPLE;
        if (mtu <= 0) {
            return (length + multiple - 1) & -multiple;
        }
        int lastUnit = length > mtu ? length % mtu : length;
        int padded = Math.min((lastUnit + multiple - 1) & -multiple, mtu);
        return length + padded - lastUnit;
    }

    // ---- little-endian field access for the message layouts ----
    public static int readIntLE(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    public static void writeIntLE(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    public static long readLongLE(byte[] b, int off) {
        return (readIntLE(b, off) & 0xffff_ffffL) | ((long) readIntLE(b, off + 4) << 32);
    }

    public static void writeLongLE(byte[] b, int off, long v) {
        writeIntLE(b, off, (int) v);
        writeIntLE(b, off + 4, (int) (v >>> 32));
    }

    /**
     * The first four bytes of a message as one little-endian word: the type when the three reserved
     * bytes are zero (as they must be), something no type equals otherwise.
     */
    public static int messageType(byte[] b, int off) {
        return readIntLE(b, off + OFFSET_TYPE);
    }

    /**
     * Where mac1 starts in the initiation or response of {@code length} bytes at {@code off}: both end
     * with mac1 then mac2, which is how the cookie code treats them alike.
     */
    public static int mac1Offset(int off, int length) {
        return off + length - 2 * MAC_LENGTH;
    }

    /** Where mac2 starts in the initiation or response of {@code length} bytes at {@code off}. */
    public static int mac2Offset(int off, int length) {
        return off + length - MAC_LENGTH;
    }

    /** Writes type and three zero reserved bytes. */
    static void writeHeader(byte[] b, int off, int type) {
        b[off] = (byte) type;
        b[off + 1] = 0;
        b[off + 2] = 0;
        b[off + 3] = 0;
    }
}
