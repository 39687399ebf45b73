package dev.platoon.crypto;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One session's keys after a handshake: send and receive keys, our index (the receiver index the
 * peer puts in its packets) and theirs, who initiated, the send counter and the replay window.
 * Thread-safe: any number of threads may seal and open with it at once (through their own
 * {@link TransportCipher}). {@link #close()} wipes both keys; seal/open then fail cleanly.
 */
public final class TransportKeypair implements AutoCloseable {
    private final ChaChaKey sendKey;
    private final ChaChaKey receiveKey;
    private final int localIndex;
    private final int remoteIndex;
    private final boolean initiator;
    private final AtomicLong sendCounter = new AtomicLong();
    private final ReplayWindow replayWindow = new ReplayWindow();

    /**
     * Made by {@link Handshake#beginSession()}; public so that tests and benchmarks can build one from
     * known keys. The arrays are copied.
     */
    public TransportKeypair(byte[] sendKey, byte[] receiveKey, int localIndex, int remoteIndex, boolean initiator) {
        this.sendKey = new ChaChaKey(sendKey);
        this.receiveKey = new ChaChaKey(receiveKey);
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
        this.initiator = initiator;
    }

    /**
     * The counter for the next message to send, or -1 once REJECT_AFTER_MESSAGES is reached (the
     * keypair is then spent: drop the packet and rekey). Check {@link Protocol#REKEY_AFTER_MESSAGES}
     * against {@link #sentMessages()} to start a rekey early.
     */
    public long nextSendCounter() {
        long c = sendCounter.getAndIncrement();
        if (Long.compareUnsigned(c, Protocol.REJECT_AFTER_MESSAGES) >= 0) {
            sendCounter.set(Protocol.REJECT_AFTER_MESSAGES);
            return -1;
        }
        return c;
    }

    /** Counters handed out so far (unsigned). */
    public long sentMessages() {
        return sendCounter.get();
    }

    /**
     * Records a received counter AFTER its packet authenticated; false for a replay, a counter too far
     * behind the window, or one at/after REJECT_AFTER_MESSAGES. Drop the packet when false.
     */
    public boolean acceptCounter(long counter) {
        return replayWindow.accept(counter, Protocol.REJECT_AFTER_MESSAGES);
    }

    public int localIndex() {
        return localIndex;
    }

    public int remoteIndex() {
        return remoteIndex;
    }

    public boolean isInitiator() {
        return initiator;
    }

    public boolean isClosed() {
        return sendKey.isDestroyed();
    }

    ChaChaKey sendKey() {
        return sendKey;
    }

    ChaChaKey receiveKey() {
        return receiveKey;
    }

    /** Wipes both keys. Safe while other threads use the keypair: their seal/open then fail. */
    @Override
    public void close() {
        sendKey.destroy();
        receiveKey.destroy();
    }

    @Override
    public String toString() {
        return "TransportKeypair[local=" + Integer.toUnsignedString(localIndex) + ", remote="
                + Integer.toUnsignedString(remoteIndex) + (initiator ? ", initiator" : ", responder")
                + (isClosed() ? ", closed" : "") + "]";
    }
}
