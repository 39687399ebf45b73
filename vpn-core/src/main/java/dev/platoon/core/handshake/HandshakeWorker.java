package dev.platoon.core.handshake;

import dev.platoon.core.drop.Drop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.platoon.core.peer.IndexEntry;
import dev.platoon.core.peer.IndexTable;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.PeerHost;
import dev.platoon.core.peer.PeerRegistry;
import dev.platoon.core.peer.PeerTimers;
import dev.platoon.core.peer.ProtocolTimings;
import dev.platoon.core.transport.DatagramSender;
import dev.platoon.crypto.CookieChecker;
import dev.platoon.crypto.HandshakeException;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.StaticIdentity;

/**
 * The handshake executor: every piece of X25519 work of the device runs here, never on a queue loop.
 * It works on a {@link PeerRegistry} (the peers by public key and the index table) and is the
 * {@link PeerHost} of every peer: initiations, keepalives and staged packets the timers or the data
 * path ask for are done on this executor.
 *
 * <p>Received messages are first admitted by {@link HandshakeAdmission} on the thread that received
 * them (MAC1; under load MAC2 or a rate-limited cookie reply, and the per-source limit), then wait in a
 * bounded queue ({@link #QUEUE_CAPACITY}); {@link #submit} returns false (counted) when it is full. From
 * 1/8 full the device is "under load" (for a second after, like wireguard-go), and it stays under load
 * while more than that many valid-MAC1 messages without a cookie arrive a second: a flood answered
 * with cookie replies never reaches the queue, so the queue alone would say the load was over. Our own
 * tasks (one of each kind per peer at most, deduplicated) use the same executor but do not count
 * against the bound.
 *
 * <p>With {@code threads == 0} nothing runs by itself: tests call {@link #runPending()} to process
 * everything queued on their own thread, which makes a whole handshake deterministic.
 */
public final class HandshakeWorker implements PeerHost, AutoCloseable {
    public static final int QUEUE_CAPACITY = 1024;
    public static final long UNDER_LOAD_AFTER_NANOS = 1_000_000_000L;
    public static final int DEFAULT_MTU = 1420;

    private volatile StaticIdentity identity;
    private final DatagramSender sender;
    private final ProtocolTimings timings;
    private final LongSupplier nanoClock;
    private final InstantSource wallClock;
    private final PeerRegistry registry;
    private final IndexTable<IndexEntry> indexTable;
    private final HandshakeCounters counters = new HandshakeCounters();
    /** What depends on our static key, replaced together when it changes. */
    private record Keyed(HandshakeAdmission admission, HandshakeMessages messages) {
    }

    private volatile Keyed keyed;
    private final HandshakeAdmission.Load load = new HandshakeAdmission.Load() {
        @Override
        public boolean underLoad() {
            return isUnderLoad();
        }

        @Override
        public void cookielessArrival() {
            noteCookielessArrival();
        }
    };
    /** Each receiving thread's copy of the message being admitted (the queue gets its own copy). */
    private static final ThreadLocal<byte[]> ADMISSION_SCRATCH =
            ThreadLocal.withInitial(() -> new byte[Protocol.MESSAGE_INITIATION_SIZE]);
    private final ThreadLocal<StagedSender> stagedSenders;

    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final AtomicInteger pendingMessages = new AtomicInteger();
    private final Set<Peer> initiationQueued = ConcurrentHashMap.newKeySet();
    private final Set<Peer> keepaliveQueued = ConcurrentHashMap.newKeySet();
    private final Set<Peer> stagedQueued = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private volatile long underLoadUntil = PeerTimers.NONE;
    private final AtomicLong floodWindowStart = new AtomicLong();
    private final AtomicInteger floodWindowArrivals = new AtomicInteger();
    private volatile boolean forcedUnderLoad;
    private volatile int mtu = DEFAULT_MTU;
    private volatile boolean closed;

    public HandshakeWorker(StaticIdentity identity, DatagramSender sender, ProtocolTimings timings,
                           LongSupplier nanoClock, InstantSource wallClock, int threads) {
        this(new PeerRegistry(), identity, sender, timings, nanoClock, wallClock, threads);
    }

    /** A worker for the peers of {@code registry}, running on {@code threads} threads (0: see above). */
    public HandshakeWorker(PeerRegistry registry, StaticIdentity identity, DatagramSender sender,
                           ProtocolTimings timings, LongSupplier nanoClock, InstantSource wallClock, int threads) {
        this.registry = registry;
        this.indexTable = registry.indexTable();
        this.identity = identity;
        this.sender = sender;
        this.timings = timings;
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
        this.keyed = keyed(identity);
        this.floodWindowStart.set(nanoClock.getAsLong());
        this.stagedSenders = ThreadLocal.withInitial(() -> new StagedSender(sender, nanoClock, () -> this.mtu));
        for (int i = 0; i < threads; i++) {
            Thread t = Thread.ofPlatform().daemon().name("platoon-handshake-" + i).unstarted(this::loop);
            this.threads.add(t);
        }
        this.threads.forEach(Thread::start);
    }

    /** Production defaults: the spec's timings, the system clocks, one thread. */
    public HandshakeWorker(StaticIdentity identity, DatagramSender sender) {
        this(identity, sender, ProtocolTimings.DEFAULT, System::nanoTime, InstantSource.system(), 1);
    }

    // ------------------------------------------------------------------ peers

    /** Adds (or returns the existing) peer for a public key. */
    public Peer addPeer(byte[] publicKey, byte[] presharedKeyOrNull) {
        return registry.add(publicKey, key -> new Peer(key, presharedKeyOrNull, this));
    }

    /**
     * Takes a new static key pair ({@code wg set NAME private-key FILE}). Peers made before keep the old
     * one in their handshake state: the caller removes and re-adds them, which starts new handshakes.
     * Returns the identity replaced, for the caller to close once its peers are gone.
     */
    public StaticIdentity replaceIdentity(StaticIdentity next) {
        StaticIdentity previous = identity;
        identity = next;
        keyed = keyed(next);
        return previous;
    }

    private Keyed keyed(StaticIdentity id) {
        return new Keyed(new HandshakeAdmission(new CookieChecker(id), indexTable, sender, nanoClock, counters),
                new HandshakeMessages(id, indexTable, this::peer, sender, nanoClock, counters));
    }

    /** Removes a peer and wipes its keys; the caller also removes its allowed IPs. */
    public Peer removePeer(byte[] publicKey) {
        return registry.remove(publicKey);
    }

    public Peer peer(byte[] publicKey) {
        return registry.get(publicKey);
    }

    public Collection<Peer> peers() {
        return registry.all();
    }

    public PeerRegistry registry() {
        return registry;
    }

    /** The timer driver's job: {@code tick} every peer's timers (call every ~100 ms). */
    public void tickAll(long nowNanos) {
        for (Peer p : registry.all()) {
            p.timers().tick(nowNanos);
        }
    }

    // ------------------------------------------------------------------ received messages

    /**
     * Admits a handshake message (types 1–3) from {@code from} and queues a copy of it for the handshake
     * thread. Returns false when the queue is full (the message is dropped and counted). Messages of the
     * wrong size for their type are dropped (counted) here already, like wireguard-go does; the rest of
     * the refusals, and cookie replies, are {@link HandshakeAdmission}'s.
     */
    public boolean submit(ByteBuffer msg, InetSocketAddress from) {
        int n = msg.remaining();
        int type = n > 0 ? msg.get(msg.position()) & 0xff : 0;
        int expected = switch (type) {
            case Protocol.MESSAGE_INITIATION -> Protocol.MESSAGE_INITIATION_SIZE;
            case Protocol.MESSAGE_RESPONSE -> Protocol.MESSAGE_RESPONSE_SIZE;
            case Protocol.MESSAGE_COOKIE_REPLY -> Protocol.MESSAGE_COOKIE_REPLY_SIZE;
            default -> -1;
        };
        if (n != expected) {
            counters.drop(expected < 0 ? Drop.HANDSHAKE_BAD_TYPE : Drop.HANDSHAKE_BAD_SIZE);
            return true;
        }
        byte[] scratch = ADMISSION_SCRATCH.get();
        msg.get(msg.position(), scratch, 0, n);
        Keyed k = keyed;
        if (k.admission().admit(scratch, n, from, load) == HandshakeAdmission.Verdict.DONE) {
            return true;
        }
        if (closed || pendingMessages.incrementAndGet() > QUEUE_CAPACITY) {
            pendingMessages.decrementAndGet();
            counters.drop(Drop.HANDSHAKE_QUEUE_FULL);
            return false;
        }
        byte[] copy = Arrays.copyOf(scratch, n);
        tasks.add(() -> handleMessage(k.messages(), copy, from));
        return true;
    }

    private void handleMessage(HandshakeMessages messages, byte[] msg, InetSocketAddress from) {
        try {
            Peer completed = messages.handle(msg, from);
            if (completed != null) {
                // wireguard-go: SendKeepalive after a response — staged packets, or a keepalive.
                stagedSenders.get().send(completed, true);
            }
        } finally {
            pendingMessages.decrementAndGet();
        }
    }

    /** wireguard-go's IsUnderLoad: queue at least 1/8 full now, or it was within the last second. */
    public boolean isUnderLoad() {
        if (forcedUnderLoad) {
            return true;
        }
        long now = nanoClock.getAsLong();
        if (pendingMessages.get() >= QUEUE_CAPACITY / 8) {
            underLoadUntil = now + UNDER_LOAD_AFTER_NANOS;
            return true;
        }
        long until = underLoadUntil;
        return until != PeerTimers.NONE && now - until < 0;
    }

    /** Keeps the device under load while valid-MAC1 messages without a cookie keep arriving. */
    private void noteCookielessArrival() {
        long now = nanoClock.getAsLong();
        long start = floodWindowStart.get();
        if (now - start >= UNDER_LOAD_AFTER_NANOS && floodWindowStart.compareAndSet(start, now)) {
            floodWindowArrivals.set(0);
        }
        if (floodWindowArrivals.incrementAndGet() >= QUEUE_CAPACITY / 8) {
            underLoadUntil = now + UNDER_LOAD_AFTER_NANOS;
        }
    }

    /** For tests and demos: behave as under load regardless of the queue. */
    public void forceUnderLoad(boolean on) {
        forcedUnderLoad = on;
    }

    // ------------------------------------------------------------------ PeerHost: our own sends

    @Override
    public void requestInitiation(Peer peer) {
        if (initiationQueued.add(peer)) {
            tasks.add(() -> {
                initiationQueued.remove(peer);
                sendInitiation(peer);
            });
        }
    }

    @Override
    public void requestKeepalive(Peer peer) {
        if (keepaliveQueued.add(peer)) {
            tasks.add(() -> {
                keepaliveQueued.remove(peer);
                stagedSenders.get().send(peer, true);
            });
        }
    }

    @Override
    public void requestStagedSend(Peer peer) {
        if (stagedQueued.add(peer)) {
            tasks.add(() -> {
                stagedQueued.remove(peer);
                stagedSenders.get().send(peer, false);
            });
        }
    }

    /** Creates and sends an initiation, at most one per REKEY_TIMEOUT per peer (wireguard-go's rule). */
    private void sendInitiation(Peer peer) {
        long now = nanoClock.getAsLong();
        InetSocketAddress to = peer.endpoint();
        if (to == null) {
            counters.drop(Drop.HANDSHAKE_NO_ENDPOINT);
            return;
        }
        byte[] out = new byte[Protocol.MESSAGE_INITIATION_SIZE];
        synchronized (peer.handshakeLock()) {
            long last = peer.lastSentHandshake();
            if (last != PeerTimers.NONE && now - last < timings.rekeyTimeoutNanos()) {
                return;
            }
            try {
                peer.handshake().createInitiation(peer.newHandshakeIndex(now), out, 0);
            } catch (HandshakeException e) {
                counters.refused(e);
                return;
            }
            peer.cookieGenerator().addMacs(out, 0, out.length);
            peer.markHandshakeSent(now);
        }
        sender.send(ByteBuffer.wrap(out), to);
        peer.counters().handshakesInitiated.increment();
        peer.counters().txBytes.add(out.length);
        counters.initiationsSent.increment();
        peer.timers().handshakeInitiated(now);
    }

    // ------------------------------------------------------------------ running

    /** Processes everything queued, on the calling thread (for {@code threads == 0}). Returns how many. */
    public int runPending() {
        int n = 0;
        Runnable r;
        while ((r = tasks.poll()) != null) {
            r.run();
            n++;
        }
        return n;
    }

    private void loop() {
        try {
            while (!closed) {
                Runnable r = tasks.take();
                try {
                    r.run();
                } catch (RuntimeException e) {
                    // A bug in one message must not kill the executor; one line, no secrets.
                    System.err.println("platoon: handshake worker: " + e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void setMtu(int mtu) {
        this.mtu = mtu;
    }

    public int pendingMessages() {
        return pendingMessages.get();
    }

    public HandshakeCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        registry.closeAll();
    }

    // ------------------------------------------------------------------ PeerHost: shared state

    @Override
    public StaticIdentity identity() {
        return identity;
    }

    @Override
    public IndexTable<IndexEntry> indexTable() {
        return indexTable;
    }

    @Override
    public ProtocolTimings timings() {
        return timings;
    }

    @Override
    public LongSupplier nanoClock() {
        return nanoClock;
    }

    @Override
    public InstantSource wallClock() {
        return wallClock;
    }
}
