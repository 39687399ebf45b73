package dev.platoon.core.cli;

import java.util.Map;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/**
 * A QR code for a terminal, as {@code qrencode -t ansiutf8} draws one: two modules per character cell
 * (the half blocks ▀ ▄ █), light modules in white on a black background set by ANSI codes, so it scans
 * the same on a dark or a light terminal theme. A client configuration (~300 bytes) is a version 10–12
 * code at error correction L: about 65 columns.
 */
final class QrText {
    /** Quiet zone in modules; the standard's 4 costs width, phones read 2 fine. */
    static final int MARGIN = 2;
    private static final String START = "\u001b[40;37m";
    private static final String END = "\u001b[0m";

    private QrText() {
    }

    /** Modules, {@code true} = dark, with the quiet zone. */
    static BitMatrix encode(String text) {
        try {
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(
                    EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L,
                    EncodeHintType.MARGIN, MARGIN,
                    EncodeHintType.CHARACTER_SET, "UTF-8"));
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot make a QR code: " + e.getMessage(), e);
        }
    }

    /** The code as lines of text, each ending in a newline. */
    static String render(String text) {
        BitMatrix m = encode(text);
        StringBuilder out = new StringBuilder((m.getWidth() + 12) * (m.getHeight() / 2 + 1));
        for (int y = 0; y < m.getHeight(); y += 2) {
            out.append(START);
            for (int x = 0; x < m.getWidth(); x++) {
                boolean top = !m.get(x, y);
                boolean bottom = y + 1 >= m.getHeight() || !m.get(x, y + 1); // past the end: quiet zone
                out.append(top ? (bottom ? '█' : '▀') : (bottom ? '▄' : ' '));
            }
            out.append(END).append('\n');
        }
        return out.toString();
    }
}
