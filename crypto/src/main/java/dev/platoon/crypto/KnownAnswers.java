package dev.platoon.crypto;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Known answers every transport engine must give, on arrays and on direct buffers (key byte i = 7i+3,
 * plaintext byte i = 31i+len, counter 0x0102030405060708+len; computed with the JDK's Cipher). The tag
 * covers the ciphertext, so a wrong key stream or a wrong Poly1305 shows in it; the first ciphertext
 * bytes are checked too, so an engine that forgot to encrypt cannot pass. 1000 and 1400 bytes cross the
 * 960 bytes of key stream a JDK stub call leaves after the Poly1305 key block.
 *
 * <p>Run once when an engine is made (in the interpreter), again after it has been compiled (the
 * trial in {@link AeadEngines}), and now and then on the data path ({@link TransportCipher}).
 */
final class KnownAnswers {
    private static final int[] LENGTHS = {0, 17, 1000, 1400};
    private static final byte[][] TAGS = hex("4d16f5e451c045164438a2d43c11f954", "0dea989a110db71ef902cad4906a306a",
            "2a9c73e828af04017618f8dff8d68912", "34d4d98f627cac67a845edb803f2e1ce");
    private static final byte[][] FIRST_BYTES = hex("", "932f7f3b10fb8e07", "462a5e719c2c1d7a", "0ab27481c0454f6a");
    private static final ChaChaKey KEY;

    static {
        byte[] k = new byte[32];
        for (int i = 0; i < 32; i++) {
            k[i] = (byte) (7 * i + 3);
        }
        KEY = new ChaChaKey(k);
    }

    /** Scratch for one engine's checks; reused so that the data path's checks allocate nothing. */
    static final class Scratch {
        final byte[] array = new byte[1400 + 16 + 7];
        final ByteBuffer direct = ByteBuffer.allocateDirect(1400 + 16 + 7);
    }

    private KnownAnswers() {
    }

    /** Null when {@code engine} gives every known answer, else one line saying which it got wrong. */
    static String check(AeadEngine engine, Scratch s) {
        try {
            // Arrays first, then direct buffers: the JDK Cipher refuses two seals in a row with one key
            // and nonce, so the same vector is never sealed twice in succession.
            for (int t = 0; t < LENGTHS.length; t++) {
                int len = LENGTHS[t];
                int off = t; // unaligned offsets too
                long counter = 0x0102030405060708L + len;
                fill(s.array, off, len);
                if (engine.seal(KEY, counter, s.array, off, len) != len + 16 || !matches(s.array, off, t)) {
                    return engine.kind().label() + ": sealing " + len + " bytes in an array gave a wrong answer";
                }
                if (engine.open(KEY, counter, s.array, off, len + 16) != len || !plain(s.array, off, len)) {
                    return engine.kind().label() + ": opening " + len + " bytes in an array gave a wrong answer";
                }
            }
            for (int t = 0; t < LENGTHS.length; t++) {
                int len = LENGTHS[t];
                int off = t;
                long counter = 0x0102030405060708L + len;
                for (int i = 0; i < len; i++) {
                    s.direct.put(off + i, (byte) (i * 31 + len));
                }
                if (engine.seal(KEY, counter, s.direct, off, len) != len + 16) {
                    return engine.kind().label() + ": sealing " + len + " bytes in a direct buffer failed";
                }
                s.direct.get(off, s.array, off, len + 16);
                if (!matches(s.array, off, t)) {
                    return engine.kind().label() + ": sealing " + len + " bytes in a direct buffer gave a wrong answer";
                }
                if (engine.open(KEY, counter, s.direct, off, len + 16) != len) {
                    return engine.kind().label() + ": opening " + len + " bytes in a direct buffer failed";
                }
                if (!plain(s.direct, off, len)) {
                    return engine.kind().label() + ": opening " + len + " bytes in a direct buffer gave a wrong answer";
                }
                s.direct.put(off, s.array, off, len + 16); // ciphertext back, then a forged tag must not open
                s.direct.put(off + len, (byte) (s.array[off + len] ^ 1));
                if (engine.open(KEY, counter, s.direct, off, len + 16) != TransportCipher.FAILED) {
                    return engine.kind().label() + ": opened " + len + " bytes under a forged tag";
                }
            }
            return null;
        } catch (RuntimeException | LinkageError e) {
            return engine.kind().label() + ": known answers threw " + e;
        }
    }

    private static void fill(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            b[off + i] = (byte) (i * 31 + len);
        }
    }

    private static boolean plain(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (b[off + i] != (byte) (i * 31 + len)) {
                return false;
            }
        }
        return true;
    }

    private static boolean plain(ByteBuffer b, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (b.get(off + i) != (byte) (i * 31 + len)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(byte[] b, int off, int t) {
        int len = LENGTHS[t];
        byte[] first = FIRST_BYTES[t];
        return Arrays.equals(b, off + len, off + len + 16, TAGS[t], 0, 16)
                && Arrays.equals(b, off, off + first.length, first, 0, first.length);
    }

    private static byte[][] hex(String... s) {
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = HexFormat.of().parseHex(s[i]);
        }
        return out;
    }
}
