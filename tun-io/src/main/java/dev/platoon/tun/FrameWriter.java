package dev.platoon.tun;

import java.nio.ByteBuffer;

/**
 * Where {@link GroCoalescer} puts finished frames: virtio_net_hdr (12 bytes) + IP packet at
 * {@code [off, off+len)} of {@code buf}. vpn-core implements it as one write to a tun queue fd.
 * The bytes are only valid during the call.
 */
@FunctionalInterface
public interface FrameWriter {
    void write(ByteBuffer buf, int off, int len);
}
