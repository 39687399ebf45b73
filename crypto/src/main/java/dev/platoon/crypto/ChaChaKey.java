package dev.platoon.crypto;

import java.lang.invoke.VarHandle;
import java.util.Arrays;

import javax.crypto.SecretKey;

/**
 * A 32-byte ChaCha20 key that can be wiped, unlike {@code SecretKeySpec} (whose destroy() throws).
 * One instance per key is reused for every {@code Cipher.init}. The JDK cipher zeroes the array it
 * gets from {@link #getEncoded()} on its next init, so that must be a copy.
 *
 * <p>{@link #destroy()} may race a sealing thread: it sets the flag, fences, then wipes; a reader
 * copies, fences, then checks the flag (a seqlock), so a copy that could hold wiped bytes is refused
 * with {@link IllegalStateException} instead of being used as a key.
 */
final class ChaChaKey implements SecretKey {
    private final byte[] key;
    private final int[] words = new int[8]; // the key as ChaCha20 state words, for ChaCha20Poly1305InPlace
    private volatile boolean destroyed;

    ChaChaKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a ChaCha20 key has 32 bytes");
        }
        this.key = key.clone();
        ChaCha20State.putKey(key, words, 0);
    }

    /**
     * Copies the key's eight state words into {@code state[at..at+8)}; false (and the words wiped) when
     * the key was destroyed, before or during the copy — the same seqlock as {@link #getEncoded()}.
     */
    boolean loadWords(int[] state, int at) {
        System.arraycopy(words, 0, state, at, 8);
        VarHandle.acquireFence();
        if (destroyed) {
            Arrays.fill(state, at, at + 8, 0);
            return false;
        }
        return true;
    }

    @Override
    public String getAlgorithm() {
        return "ChaCha20";
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    @Override
    public byte[] getEncoded() {
        byte[] copy = key.clone();
        VarHandle.acquireFence();
        if (destroyed) {
            Arrays.fill(copy, (byte) 0);
            throw new IllegalStateException("key was destroyed");
        }
        return copy;
    }

    /** Package-private raw view for tests and the handshake; never leaves the package. */
    byte[] raw() {
        return key;
    }

    @Override
    public void destroy() {
        destroyed = true;
        VarHandle.fullFence();
        Arrays.fill(key, (byte) 0);
        Arrays.fill(words, 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "ChaChaKey[" + (destroyed ? "destroyed" : "32 bytes") + "]";
    }
}
