package dev.platoon.core.handshake;

import dev.platoon.core.drop.Drop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

import dev.platoon.core.peer.IndexEntry;
import dev.platoon.core.peer.IndexTable;
import dev.platoon.core.transport.DatagramSender;
import dev.platoon.crypto.CookieChecker;
import dev.platoon.crypto.CookieReplyMessage;
import dev.platoon.crypto.InitiationMessage;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.ResponseMessage;

/**
 * What happens to a handshake message before it may wait for the handshake thread: the cheap checks,
 * run on the thread that received it (a queue loop), so that under a flood the queue holds only
 * messages worth an X25519 operation and a legitimate peer's message is never behind thousands of
 * an attacker's.
 *
 * <ul>
 *   <li>Cookie replies (type 3) are queued only for an index we handed out.
 *   <li>Initiations and responses need a valid MAC1 (proof the sender knows our public key).
 *   <li>Under load they also need a valid MAC2 (proof the sender receives at its source address).
 *       Without one they are answered here with a cookie reply — at most {@link #COOKIE_REPLIES_PER_SOURCE}
 *       a second per source address and {@link #COOKIE_REPLIES_PER_SECOND} in all, so that a flood cannot
 *       turn the device into a reflector or spend its CPU on sealing cookies — and are not queued.
 *   <li>With a valid MAC2 they are rate-limited per source address (wireguard-go's 20/s, burst 5).
 * </ul>
 *
 * <p>Every refusal is counted by reason. Thread-safe: the queue loops call it at once; the cookie secret
 * is shared with nobody else, so a cookie given on one loop is accepted on the other.
 */
final class HandshakeAdmission {
    /** Cookie replies a second to one source address (as many as handshakes it could then make). */
    static final int COOKIE_REPLIES_PER_SOURCE = RateLimiter.PACKETS_PER_SECOND;
    /** Cookie replies a second from the whole device; a burst of a tenth of it. */
    static final int COOKIE_REPLIES_PER_SECOND = 4_000;

    enum Verdict {
        /** Worth the handshake thread's time: queue it. */
        QUEUE,
        /** Answered here (a cookie reply) or refused and counted: nothing more to do. */
        DONE
    }

    private final CookieChecker cookieChecker;
    private final RateLimiter handshakeLimiter;
    private final RateLimiter cookieReplyLimiter;
    private final RateBudget cookieReplyBudget;
    private final IndexTable<IndexEntry> indexTable;
    private final DatagramSender sender;
    private final HandshakeCounters counters;

    HandshakeAdmission(CookieChecker cookieChecker, IndexTable<IndexEntry> indexTable, DatagramSender sender,
                       LongSupplier nanoClock, HandshakeCounters counters) {
        this.cookieChecker = cookieChecker;
        this.handshakeLimiter = new RateLimiter(nanoClock);
        this.cookieReplyLimiter = new RateLimiter(nanoClock, COOKIE_REPLIES_PER_SOURCE, RateLimiter.PACKETS_BURSTABLE);
        this.cookieReplyBudget = new RateBudget(nanoClock, COOKIE_REPLIES_PER_SECOND, COOKIE_REPLIES_PER_SECOND / 10);
        this.indexTable = indexTable;
        this.sender = sender;
        this.counters = counters;
    }

    /**
     * Decides on the handshake message {@code msg[0..len)} (its size already right for its type) from
     * {@code from}. {@code load} is asked only for initiations and responses with a valid MAC1.
     */
    Verdict admit(byte[] msg, int len, InetSocketAddress from, Load load) {
        int type = msg[Protocol.OFFSET_TYPE]; // the type byte alone: the reserved bytes are checked later
        if (type == Protocol.MESSAGE_COOKIE_REPLY) {
            if (indexTable.lookup(new CookieReplyMessage().wrap(msg, 0).receiver()) == null) {
                counters.drop(Drop.UNKNOWN_INDEX);
                return Verdict.DONE;
            }
            return Verdict.QUEUE;
        }
        if (!cookieChecker.checkMac1(msg, 0, len)) {
            counters.drop(Drop.INVALID_MAC1);
            return Verdict.DONE;
        }
        if (!load.underLoad()) {
            return Verdict.QUEUE;
        }
        byte[] source = sourceBytes(from);
        if (!cookieChecker.checkMac2(msg, 0, len, source)) {
            load.cookielessArrival();
            if (!cookieReplyLimiter.allow(from.getAddress()) || !cookieReplyBudget.allow()) {
                counters.drop(Drop.COOKIE_REPLY_LIMITED);
                return Verdict.DONE;
            }
            sendCookieReply(msg, len, from, source);
            return Verdict.DONE;
        }
        if (!handshakeLimiter.allow(from.getAddress())) {
            counters.drop(Drop.HANDSHAKE_RATE_LIMITED);
            return Verdict.DONE;
        }
        return Verdict.QUEUE;
    }

    private void sendCookieReply(byte[] msg, int len, InetSocketAddress to, byte[] source) {
        byte[] out = new byte[Protocol.MESSAGE_COOKIE_REPLY_SIZE];
        int senderIndex = len == Protocol.MESSAGE_INITIATION_SIZE ? new InitiationMessage().wrap(msg, 0).sender()
                : new ResponseMessage().wrap(msg, 0).sender();
        cookieChecker.createReply(msg, 0, len, senderIndex, source, out, 0);
        sender.send(ByteBuffer.wrap(out), to);
        counters.cookieRepliesSent.increment();
    }

    /**
     * The source the cookie is bound to: address bytes then port, big endian (as the kernel hashes
     * it). Only we ever check it, so it needs to be stable, not compatible.
     */
    static byte[] sourceBytes(InetSocketAddress from) {
        byte[] a = from.getAddress().getAddress();
        byte[] out = new byte[a.length + 2];
        System.arraycopy(a, 0, out, 0, a.length);
        out[a.length] = (byte) (from.getPort() >>> 8);
        out[a.length + 1] = (byte) from.getPort();
        return out;
    }

    /** The device's load, as the admission sees it. */
    interface Load {
        boolean underLoad();

        /** A valid-MAC1 message without a cookie arrived under load: the flood goes on. */
        void cookielessArrival();
    }
}
