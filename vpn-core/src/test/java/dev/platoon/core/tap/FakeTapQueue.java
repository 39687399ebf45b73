package dev.platoon.core.tap;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.platoon.core.transport.TunFrameSink;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.Future;

/** A tap queue that keeps what is written to it; the test hands frames to the port by hand. */
final class FakeTapQueue implements TapQueue {
    final List<byte[]> written = new ArrayList<>();

    @Override
    public boolean writeFrame(ByteBuffer head, int headOffset, int headLength, ByteBuffer body, int bodyOffset,
                              int bodyLength) {
        byte[] f = new byte[headLength + bodyLength];
        head.get(headOffset, f, 0, headLength);
        body.get(bodyOffset, f, headLength, bodyLength);
        written.add(f);
        return true;
    }

    @Override
    public boolean writeFrame(ByteBuffer direct, int offset, int length) {
        byte[] f = new byte[length];
        direct.get(offset, f);
        written.add(f);
        return true;
    }

    /** The one frame written since the last call; fails when there were none or several. */
    byte[] only() {
        if (written.size() != 1) {
            throw new AssertionError(written.size() + " frames written, expected one");
        }
        return written.removeFirst();
    }

    @Override
    public Future<Void> start(IoEventLoop loop, TunFrameSink sink) {
        return null; // no loop: the test hands frames to the port's frame() itself
    }

    @Override
    public void pauseReading() {
    }

    @Override
    public void resumeReading() {
    }

    @Override
    public void onReadFailure(Consumer<String> listener) {
    }

    @Override
    public void close() {
    }
}
