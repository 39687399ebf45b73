package dev.platoon.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Test sink: copies every datagram, records batch sizes. Accessed under its own lock. */
final class CollectingSink implements InboundSink {
    final List<byte[]> datagrams = new ArrayList<>();
    final List<InetSocketAddress> senders = new ArrayList<>();
    final List<Integer> batches = new ArrayList<>();
    private int current;

    @Override
    public synchronized void datagram(ByteBuf content, InetSocketAddress sender) {
        datagrams.add(ByteBufUtil.getBytes(content));
        senders.add(sender);
        current++;
    }

    @Override
    public synchronized void batchEnd() {
        batches.add(current);
        current = 0;
    }

    synchronized int count() {
        return datagrams.size();
    }

    synchronized List<byte[]> datagrams() {
        return new ArrayList<>(datagrams);
    }

    synchronized List<Integer> batches() {
        return new ArrayList<>(batches);
    }

    synchronized int batchedCount() {
        return batches.stream().mapToInt(Integer::intValue).sum();
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
