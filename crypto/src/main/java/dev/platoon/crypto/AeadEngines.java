package dev.platoon.crypto;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The transport AEAD engines this JVM has, and which one the data path uses.
 *
 * <p>At start the first of the engines that cost nothing to set up ({@code java}, {@code jdk-stubs},
 * {@code jdk-cipher}) that gives the {@link KnownAnswers} is used at once. {@link #startTrial()} then,
 * on a background thread, links libcrypto (the FFM linker's first downcalls take ~0.25 s of a cold
 * JVM, which {@code up} should not wait for) and moves the data path to {@code openssl} as soon as its
 * known answers hold: native code is at full speed from the first packet, a Java engine only once the
 * JIT has compiled it. The trial then lowers itself to nice 19 and, on what the data path leaves idle,
 * runs every verified engine until the JIT has compiled it, checks its known answers again — now on
 * the compiled code and the JDK's stubs, which can differ from the interpreter's Java bodies — and
 * times seal plus open of 1400 bytes in turns; the fastest verified engine becomes {@link #chosen()},
 * and every {@link TransportCipher} moves to it on its next packet. {@code jdk-cipher}, the safe
 * engine, is verified but timed only when it is the only one. With an engine forced, no trial runs.
 *
 * <p>{@code PLATOON_CIPHER} (or {@code -Dplatoon.cipher}) = {@code openssl}, {@code java},
 * {@code jdk-stubs} or {@code jdk-cipher} forces one engine when it verifies; {@code auto} (the default)
 * chooses. An engine that throws or fails its known answers at run time is {@link #fault faulted}: it
 * is never used again in this JVM, and the data path moves to the safe engine, {@link Kind#JDK_CIPHER}.
 */
public final class AeadEngines {
    private static final Logger LOG = Logger.getLogger(AeadEngines.class.getName());

    /** The engines, in the order they are tried before the trial has measured them. */
    public enum Kind {
        /** OpenSSL's libcrypto through the FFM API, in place on native memory. */
        OPENSSL("openssl"),
        /** The JDK's ChaCha20 stub (or plain Java) and platoon's own 64-bit-limb Poly1305. */
        JAVA("java"),
        /** The JDK's private ChaCha20 and Poly1305 stubs driven in place. */
        JDK_STUBS("jdk-stubs"),
        /** javax.crypto.Cipher, re-initialised per packet: the safe engine. */
        JDK_CIPHER("jdk-cipher");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The short name used in logs, {@code platoon show}, metrics and {@code PLATOON_CIPHER}. */
        public String label() {
            return label;
        }

        /** The kind with this label, or null. */
        public static Kind byLabel(String label) {
            for (Kind k : values()) {
                if (k.label.equals(label)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** Bytes per packet in the trial: a full-sized WireGuard transport payload. */
    static final int TRIAL_BYTES = 1400;

    private static final Map<Kind, String> UNAVAILABLE = new EnumMap<>(Kind.class); // probed: null = verified
    private static final Map<Kind, Double> RATES = new EnumMap<>(Kind.class); // trial: bytes/s sealed+opened
    private static final AtomicLong FAULTS = new AtomicLong();
    private static final Kind FORCED;
    private static final String FORCED_NOTE;
    static volatile Kind chosen; // read per packet by every TransportCipher
    private static volatile boolean trialDone;
    private static Thread trial;
    private static volatile boolean lowPriority; // the trial thread runs at nice 19

    static {
        String asked = System.getProperty("platoon.cipher", System.getenv("PLATOON_CIPHER"));
        asked = asked == null ? "auto" : asked.trim().toLowerCase(Locale.ROOT);
        Kind forced = Kind.byLabel(asked);
        String note = null;
        if (forced == null && !asked.equals("auto") && !asked.isEmpty()) {
            note = "PLATOON_CIPHER=" + asked + " is not an engine (openssl, java, jdk-stubs, jdk-cipher, auto)";
        } else if (forced != null && probe(forced) != null) {
            note = "PLATOON_CIPHER=" + asked + " cannot be used: " + probe(forced);
            forced = null;
        }
        FORCED = forced;
        FORCED_NOTE = note;
        Kind first = forced;
        for (Kind k : new Kind[] {Kind.JAVA, Kind.JDK_STUBS, Kind.JDK_CIPHER}) {
            if (first == null && probe(k) == null) {
                first = k;
            }
        }
        chosen = first == null ? Kind.JDK_CIPHER : first;
    }

    private AeadEngines() {
    }

    /** The engine the data path uses now. */
    public static Kind chosen() {
        return chosen;
    }

    /**
     * Moves every {@link TransportCipher} that follows the choice to {@code kind} on its next packet,
     * when it verifies here: one JVM can then run the same traffic over each engine in turn (the data
     * path's test suite does). A trial still running may choose again; a device forces an engine with
     * {@code PLATOON_CIPHER} instead.
     *
     * @throws IllegalStateException with the reason when {@code kind} cannot be used here
     */
    public static synchronized void use(Kind kind) {
        String why = probe(kind);
        if (why != null) {
            throw new IllegalStateException(kind.label() + ": " + why);
        }
        chosen = kind;
    }

    /** Engines that threw or gave a wrong answer on the data path, counted once per packet lost. */
    public static long faults() {
        return FAULTS.get();
    }

    /** Whether the trial has measured the engines and made its choice. */
    public static boolean trialDone() {
        return trialDone;
    }

    /** The trial's rate for {@code kind} in bytes per second (seal plus open of 1400 B), or NaN. */
    public static synchronized double rate(Kind kind) {
        Double r = RATES.get(kind);
        return r == null ? Double.NaN : r;
    }

    /** Null when {@code kind} can be made and gives the known answers, else why not (one line). */
    public static synchronized String unavailable(Kind kind) {
        return probe(kind);
    }

    /**
     * One line for the log and {@code platoon show}: the engine in use, why, and why not each other.
     * E.g. "openssl (OpenSSL 3.0.19 ...), fastest of 4 verified: openssl 2.1 GB/s, java 0.9, ...".
     */
    public static synchronized String summary() {
        StringBuilder s = new StringBuilder(chosen.label());
        if (chosen == Kind.OPENSSL && OpenSslLibrary.VERSION != null) {
            s.append(" (").append(OpenSslLibrary.VERSION).append(')');
        }
        if (FORCED == chosen) {
            s.append(", forced by PLATOON_CIPHER");
        } else if (trialDone) {
            s.append(", the fastest verified");
        } else if (chosen == Kind.OPENSSL) {
            s.append(", native, used until the trial of the others (running")
                    .append(lowPriority ? " at low priority" : "").append(") finds one 10 % faster");
        } else {
            s.append(", the first verified; the trial of the others is running");
        }
        if (FORCED_NOTE != null) {
            s.append(" (").append(FORCED_NOTE).append(')');
        }
        StringBuilder others = new StringBuilder();
        for (Kind k : Kind.values()) {
            String why = UNAVAILABLE.containsKey(k) ? UNAVAILABLE.get(k) : "not tried";
            Double r = RATES.get(k);
            others.append(others.isEmpty() ? "" : "; ").append(k.label()).append(' ');
            if (why != null) {
                others.append(why.startsWith(k.label() + ": ") ? why.substring(k.label().length() + 2) : why);
            } else if (r != null) {
                others.append(String.format(Locale.ROOT, "%.2f GB/s", r / 1e9));
            } else if (k == Kind.JDK_CIPHER && trialDone) {
                others.append("verified (the safe engine, not timed)");
            } else {
                others.append("verified");
            }
        }
        return s.append(" — ").append(others).toString();
    }

    /**
     * Starts the trial on a daemon thread, once per JVM (later calls do nothing). It takes about a
     * second of one CPU, most of it the JIT compiling the engines the data path is about to use.
     */
    public static synchronized void startTrial() {
        if (trial == null && !trialDone) {
            trial = Thread.ofPlatform().daemon().name("platoon-cipher-trial").start(() -> {
                adoptNative();
                if (FORCED == null) {
                    lowPriority = LowPriority.lowerThisThread();
                    runTrial();
                }
            });
        }
    }

    /**
     * Links libcrypto and, when the openssl engine gives the known answers, uses it at once: native code
     * runs at full speed from its first packet, where a Java engine waits for the JIT — which decides a
     * transfer's first seconds. Only the trial can then replace it, with an engine 10 % faster.
     */
    static void adoptNative() {
        if (unavailable(Kind.OPENSSL) == null && FORCED == null) {
            synchronized (AeadEngines.class) {
                if (!trialDone) {
                    chosen = Kind.OPENSSL;
                }
            }
        }
    }

    /**
     * The trial, on the calling thread; see the class comment. Each engine is warmed up on 1400-byte
     * packets ({@link #warmUp}), its known answers are checked on the compiled code, and then the
     * engines are timed in turns of 12 ms, the best turn counting, until none has got faster for three
     * rounds (at most 25) — so that neither a burst of load nor a compiler still at work decides.
     */
    static void runTrial() {
        Map<Kind, AeadEngine> engines = new EnumMap<>(Kind.class);
        ByteBuffer buf = ByteBuffer.allocateDirect(TRIAL_BYTES + Protocol.TAG_LENGTH);
        ChaChaKey key = new ChaChaKey(new byte[32]);
        long counter = 0;
        for (Kind k : Kind.values()) {
            if (unavailable(k) != null || (k == Kind.JDK_CIPHER && !engines.isEmpty())) {
                continue;
            }
            try {
                AeadEngine engine = create(k);
                counter = warmUp(engine, key, buf, counter);
                String wrong = KnownAnswers.check(engine, new KnownAnswers.Scratch());
                if (wrong != null) {
                    markUnavailable(k, "compiled, it gave a wrong answer: " + wrong);
                } else {
                    engines.put(k, engine);
                }
            } catch (RuntimeException | LinkageError e) {
                markUnavailable(k, "threw in the trial: " + e);
            }
        }
        Map<Kind, Double> best = new EnumMap<>(Kind.class);
        Map<Kind, Integer> lastGain = new EnumMap<>(Kind.class);
        for (int round = 0; round < MAX_ROUNDS && !settled(engines.keySet(), lastGain, round); round++) {
            for (Map.Entry<Kind, AeadEngine> e : engines.entrySet()) {
                try {
                    long ops = 0;
                    long t0 = System.nanoTime();
                    long elapsed;
                    do {
                        counter = run(e.getValue(), key, buf, counter, 16);
                        ops += 16;
                        elapsed = System.nanoTime() - t0;
                    } while (elapsed < 12_000_000L);
                    double rate = ops * 2.0 * TRIAL_BYTES / (elapsed / 1e9);
                    Double before = best.get(e.getKey());
                    if (before == null || rate > 1.03 * before) {
                        lastGain.put(e.getKey(), round);
                    }
                    best.merge(e.getKey(), rate, Math::max);
                } catch (RuntimeException | LinkageError x) {
                    markUnavailable(e.getKey(), "threw in the trial: " + x);
                }
            }
        }
        for (Map.Entry<Kind, AeadEngine> e : engines.entrySet()) { // and once more, its speed settled
            String wrong = KnownAnswers.check(e.getValue(), new KnownAnswers.Scratch());
            if (wrong != null) {
                markUnavailable(e.getKey(), "compiled, it gave a wrong answer: " + wrong);
            }
        }
        synchronized (AeadEngines.class) {
            Kind fastest = null;
            for (Kind k : Kind.values()) {
                Double r = best.get(k);
                if (r != null && UNAVAILABLE.get(k) == null) {
                    RATES.put(k, r);
                    // A later engine must be 10 % faster to win: noise alone should not flip the choice.
                    if (fastest == null || r > 1.1 * RATES.get(fastest)) {
                        fastest = k;
                    }
                }
            }
            if (FORCED == null && fastest != null) {
                chosen = fastest;
            }
            trialDone = true;
        }
        LOG.info("ChaCha20-Poly1305 engine: " + summary());
    }

    /** Most rounds of timing; ~1 s of one CPU with three engines. */
    private static final int MAX_ROUNDS = 25;

    /**
     * True when no engine got more than 3 % faster in the last three rounds: on a busy machine the
     * compiler thread can still be compiling an engine after its warm-up, and its rate climbs until
     * the compiled code runs; the choice waits for that.
     */
    private static boolean settled(java.util.Set<Kind> kinds, Map<Kind, Integer> lastGain, int round) {
        if (round < 4) {
            return false;
        }
        for (Kind k : kinds) {
            if (round - lastGain.getOrDefault(k, 0) <= 3) {
                return false;
            }
        }
        return true;
    }

    private static synchronized void markUnavailable(Kind kind, String why) {
        UNAVAILABLE.put(kind, why);
    }

    /**
     * Runs the engine for 50,000 packets — well past HotSpot's C2 thresholds for the seal and open
     * methods and their loops, so that what is checked and timed next is the compiled code even when a
     * busy machine delays the compiler thread — or for 3 s at most.
     */
    private static long warmUp(AeadEngine engine, ChaChaKey key, ByteBuffer buf, long counter) {
        long until = System.nanoTime() + 3_000_000_000L;
        for (int n = 0; n < 50_000 && System.nanoTime() < until; n += 64) {
            counter = run(engine, key, buf, counter, 64);
        }
        return counter;
    }

    private static long run(AeadEngine engine, ChaChaKey key, ByteBuffer buf, long counter, int n) {
        for (int i = 0; i < n; i++, counter++) {
            if (engine.seal(key, counter, buf, 0, TRIAL_BYTES) != TRIAL_BYTES + Protocol.TAG_LENGTH
                    || engine.open(key, counter, buf, 0, TRIAL_BYTES + Protocol.TAG_LENGTH) != TRIAL_BYTES) {
                throw new IllegalStateException(engine.kind().label() + " failed a round trip in the trial");
            }
        }
        return counter;
    }

    /** A new engine of this kind (one per thread). */
    static AeadEngine create(Kind kind) {
        return switch (kind) {
            case OPENSSL -> new OpenSslChaCha20Poly1305();
            case JAVA -> new JavaChaCha20Poly1305();
            case JDK_STUBS -> {
                if (!JdkChaChaIntrinsics.AVAILABLE) {
                    throw new IllegalStateException(JdkChaChaIntrinsics.UNAVAILABLE_REASON);
                }
                yield new ChaCha20Poly1305InPlace();
            }
            case JDK_CIPHER -> new JdkCipherEngine();
        };
    }

    /**
     * An engine that gave a wrong answer or threw on the data path: never used again here; if it was
     * the chosen one, the safe engine takes over. Logged once per engine.
     */
    static void fault(Kind kind, Throwable why) {
        FAULTS.incrementAndGet();
        boolean first;
        synchronized (AeadEngines.class) {
            first = UNAVAILABLE.get(kind) == null;
            UNAVAILABLE.put(kind, "faulted on the data path: " + why);
            if (chosen == kind) {
                chosen = Kind.JDK_CIPHER;
            }
        }
        if (first) {
            LOG.warning("ChaCha20-Poly1305 engine " + kind.label() + " faulted (" + why
                    + "); the packet was dropped and " + Kind.JDK_CIPHER.label() + " takes over");
        }
    }

    /** Tests only: forget that {@code kind} faulted, after a test made a fake engine of that kind fault. */
    static synchronized void forgetFault(Kind kind) {
        UNAVAILABLE.remove(kind);
        probe(kind);
    }

    /** Makes one engine of this kind and checks its known answers, once; the reason is kept. */
    private static synchronized String probe(Kind kind) {
        if (!UNAVAILABLE.containsKey(kind)) {
            String reason;
            try {
                reason = KnownAnswers.check(create(kind), new KnownAnswers.Scratch());
            } catch (RuntimeException | LinkageError e) {
                reason = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            UNAVAILABLE.put(kind, reason);
        }
        return UNAVAILABLE.get(kind);
    }
}
