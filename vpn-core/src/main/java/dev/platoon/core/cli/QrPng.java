package dev.platoon.core.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import com.google.zxing.common.BitMatrix;

/**
 * A QR code as a PNG file, for a phone that scans a picture sent or shown elsewhere: black on white,
 * {@link #PIXELS} pixels a module, the standard's quiet zone of 4 modules. Written here by hand (a
 * 1-bit greyscale PNG is three chunks) because ImageIO would pull java.desktop into the jlink runtime,
 * megabytes that platoon needs nowhere else. The picture holds the client's private key, so the file is
 * made with mode 0600 and renamed into place: it is never readable by others, not even for a moment.
 */
final class QrPng {
    static final int PIXELS = 8;
    static final int QUIET_ZONE = 4;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private QrPng() {
    }

    /** Writes the QR code of {@code text} to {@code file} (mode 0600, replacing what was there). */
    static void write(String text, Path file) throws IOException {
        byte[] png = encode(QrText.encode(text));
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, png);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The PNG bytes of the modules in {@code m} (its own margin replaced by the quiet zone). */
    static byte[] encode(BitMatrix m) {
        int[] box = m.getEnclosingRectangle(); // left, top, width, height of the dark modules
        int modules = Math.max(box[2], box[3]) + 2 * QUIET_ZONE;
        int side = modules * PIXELS;
        int rowBytes = (side + 7) / 8;
        byte[] raw = new byte[(rowBytes + 1) * side]; // each row: filter type 0, then 1 bit a pixel
        for (int y = 0; y < side; y++) {
            int row = y * (rowBytes + 1);
            int my = y / PIXELS - QUIET_ZONE;
            for (int x = 0; x < side; x++) {
                int mx = x / PIXELS - QUIET_ZONE;
                boolean dark = mx >= 0 && my >= 0 && mx < box[2] && my < box[3] && m.get(box[0] + mx, box[1] + my);
                if (!dark) { // greyscale bit 1 is white
                    raw[row + 1 + x / 8] |= (byte) (0x80 >>> (x % 8));
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 8 + 128);
        out.writeBytes(SIGNATURE);
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(side).putInt(side)
                .put((byte) 1).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IDAT", deflate(raw));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            d.setInput(data);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /** Length, type, data, and the CRC-32 of type and data. */
    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
