package dev.platoon.crypto;

import static dev.platoon.crypto.HandshakeException.Reason.DECRYPTION_FAILED;
import static dev.platoon.crypto.HandshakeException.Reason.MALFORMED;
import static dev.platoon.crypto.HandshakeException.Reason.REPLAYED_TIMESTAMP;
import static dev.platoon.crypto.HandshakeException.Reason.UNEXPECTED_STATE;
import static dev.platoon.crypto.HandshakeException.Reason.WRONG_RECEIVER_INDEX;
import static dev.platoon.crypto.HandshakeException.Reason.WRONG_STATIC_KEY;
import static dev.platoon.crypto.HandshakeException.Reason.ZERO_SHARED_SECRET;

import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.Arrays;

/**
 * The Noise_IKpsk2 handshake with one peer, as wireguard-go's noise-protocol.go. Not thread-safe:
 * the device serialises calls per peer. Every method computes into temporaries and changes this
 * object only when the message was good, so a forged message never disturbs a pending handshake.
 *
 * <p>Initiator: {@link #createInitiation} → (send; peer answers) → {@link #consumeResponse} →
 * {@link #beginSession}. Responder: static {@link #consumeInitiation} (peer not yet known) →
 * look the peer up by the result's static key → {@link #acceptInitiation} → {@link #createResponse}
 * → {@link #beginSession}. MAC1/MAC2 are not handled here: see {@link CookieGenerator} and
 * {@link CookieChecker}.
 */
public final class Handshake implements AutoCloseable {
    public enum State { ZEROED, INITIATION_CREATED, INITIATION_CONSUMED, RESPONSE_CREATED, RESPONSE_CONSUMED }

    /** HASH(CONSTRUCTION): 60e26dae... */
    static final byte[] INITIAL_CHAINING_KEY = Blake2s.hash(Protocol.CONSTRUCTION_BYTES);
    /** HASH(INITIAL_CHAINING_KEY || IDENTIFIER): 2211b361... */
    static final byte[] INITIAL_HASH = Blake2s.hash(INITIAL_CHAINING_KEY, Protocol.IDENTIFIER_BYTES);
    private static final byte[] EMPTY = new byte[0];

    private final StaticIdentity local;
    private final byte[] remoteStatic;
    private final byte[] presharedKey;
    /** DH(our static, their static), computed once; null when it is the zero point. */
    private final byte[] precomputedStaticStatic;
    private final InstantSource clock;

    private State state = State.ZEROED;
    private final byte[] hash = new byte[32];
    private final byte[] chainingKey = new byte[32];
    private final byte[] localEphemeralPrivate = new byte[32];
    private final byte[] remoteEphemeral = new byte[32];
    private final byte[] greatestTimestamp = new byte[Tai64n.LENGTH];
    private int localIndex;
    private int remoteIndex;

    public Handshake(StaticIdentity local, byte[] remoteStaticPublic, byte[] presharedKeyOrNull) {
        this(local, remoteStaticPublic, presharedKeyOrNull, InstantSource.system());
    }

    /** @param clock wall clock for the TAI64N timestamp of our initiations (injected in tests) */
    public Handshake(StaticIdentity local, byte[] remoteStaticPublic, byte[] presharedKeyOrNull,
                     InstantSource clock) {
        if (remoteStaticPublic == null || remoteStaticPublic.length != 32) {
            throw new IllegalArgumentException("a peer public key has 32 bytes");
        }
        if (presharedKeyOrNull != null && presharedKeyOrNull.length != 32) {
            throw new IllegalArgumentException("a preshared key has 32 bytes");
        }
        this.local = local;
        this.remoteStatic = remoteStaticPublic.clone();
        this.presharedKey = presharedKeyOrNull == null ? new byte[32] : presharedKeyOrNull.clone();
        this.clock = clock;
        byte[] ss = new byte[32];
        this.precomputedStaticStatic = Curve25519.sharedSecret(local.privateKeyRef(), remoteStatic, ss) ? ss : null;
    }

    // ------------------------------------------------------------------ initiator

    /**
     * Writes a 148-byte initiation into {@code out[offset..+148)} with zeroed MAC fields (add them
     * with {@link CookieGenerator#addMacs}). Replaces any handshake in progress.
     */
    public void createInitiation(int senderIndex, byte[] out, int offset) throws HandshakeException {
        if (precomputedStaticStatic == null) {
            throw new HandshakeException(ZERO_SHARED_SECRET, "initiation: peer public key gives a zero shared secret");
        }
        java.util.Objects.checkFromIndexSize(offset, Protocol.MESSAGE_INITIATION_SIZE, out.length);
        byte[] h = Blake2s.hash(INITIAL_HASH, remoteStatic);
        byte[] ck = INITIAL_CHAINING_KEY.clone();
        byte[] ephPrivate = Keys.generatePrivateKey();
        byte[] ephPublic = Keys.publicKey(ephPrivate);
        byte[] k = new byte[32];
        try {
            InitiationMessage m = new InitiationMessage().wrap(out, offset).writeHeader().sender(senderIndex);
            System.arraycopy(ephPublic, 0, out, m.ephemeralOffset(), 32);
            Kdf.derive(ck, ephPublic, ck, null, null);
            Blake2s.mixHash(h, ephPublic);

            byte[] es = Curve25519.dh(ephPrivate, remoteStatic, "initiation");
            Kdf.derive(ck, es, ck, k, null);
            Arrays.fill(es, (byte) 0);
            int st = m.staticOffset();
            Aead.seal(k, 0, local.publicKeyRef(), 0, 32, h, out, st);
            Blake2s.mixHash(h, out, st, 32 + Protocol.TAG_LENGTH);

            Kdf.derive(ck, precomputedStaticStatic, ck, k, null);
            int ts = m.timestampOffset();
            Aead.seal(k, 0, Tai64n.now(clock), 0, Tai64n.LENGTH, h, out, ts);
            Blake2s.mixHash(h, out, ts, Tai64n.LENGTH + Protocol.TAG_LENGTH);
            Arrays.fill(out, m.mac1Offset(), m.end(), (byte) 0);

            System.arraycopy(h, 0, hash, 0, 32);
            System.arraycopy(ck, 0, chainingKey, 0, 32);
            System.arraycopy(ephPrivate, 0, localEphemeralPrivate, 0, 32);
            localIndex = senderIndex;
            state = State.INITIATION_CREATED;
        } finally {
            Arrays.fill(ck, (byte) 0);
            Arrays.fill(k, (byte) 0);
            Arrays.fill(ephPrivate, (byte) 0);
        }
    }

    /** Consumes the peer's 92-byte response to our initiation. MAC1 must have been checked already. */
    public void consumeResponse(byte[] msg, int offset) throws HandshakeException {
        requireMessage(msg, offset, Protocol.MESSAGE_RESPONSE, Protocol.MESSAGE_RESPONSE_SIZE, "response");
        if (state != State.INITIATION_CREATED) {
            throw new HandshakeException(UNEXPECTED_STATE, "response: no initiation pending (state " + state + ")");
        }
        ResponseMessage m = new ResponseMessage().wrap(msg, offset);
        if (m.receiver() != localIndex) {
            throw new HandshakeException(WRONG_RECEIVER_INDEX, "response: receiver index is not our initiation's");
        }
        byte[] h = hash.clone();
        byte[] ck = chainingKey.clone();
        byte[] tau = new byte[32];
        byte[] k = new byte[32];
        byte[] ephR = Arrays.copyOfRange(msg, m.ephemeralOffset(), m.ephemeralOffset() + 32);
        try {
            Kdf.derive(ck, ephR, ck, null, null);
            Blake2s.mixHash(h, ephR);
            byte[] ee = Curve25519.dh(localEphemeralPrivate, ephR, "response");
            Kdf.derive(ck, ee, ck, null, null);
            Arrays.fill(ee, (byte) 0);
            byte[] se = Curve25519.dh(local.privateKeyRef(), ephR, "response");
            Kdf.derive(ck, se, ck, null, null);
            Arrays.fill(se, (byte) 0);
            Kdf.derive(ck, presharedKey, ck, tau, k);
            Blake2s.mixHash(h, tau);
            int empty = m.emptyOffset();
            if (!Aead.open(k, 0, msg, empty, Protocol.TAG_LENGTH, h, EMPTY, 0)) {
                throw new HandshakeException(DECRYPTION_FAILED, "response: empty payload does not authenticate");
            }
            Blake2s.mixHash(h, msg, empty, Protocol.TAG_LENGTH);

            System.arraycopy(h, 0, hash, 0, 32);
            System.arraycopy(ck, 0, chainingKey, 0, 32);
            System.arraycopy(ephR, 0, remoteEphemeral, 0, 32);
            remoteIndex = m.sender();
            state = State.RESPONSE_CONSUMED;
        } finally {
            Arrays.fill(h, (byte) 0);
            Arrays.fill(ck, (byte) 0);
            Arrays.fill(tau, (byte) 0);
            Arrays.fill(k, (byte) 0);
        }
    }

    // ------------------------------------------------------------------ responder

    /**
     * First half of the responder: decrypts an initiation with our static key only (the peer is not
     * known yet). MAC1 must have been checked already. Costs two X25519 operations.
     */
    public static InitiationResult consumeInitiation(StaticIdentity local, byte[] msg, int offset)
            throws HandshakeException {
        requireMessage(msg, offset, Protocol.MESSAGE_INITIATION, Protocol.MESSAGE_INITIATION_SIZE, "initiation");
        byte[] h = local.responderInitialHash().clone();
        byte[] ck = INITIAL_CHAINING_KEY.clone();
        byte[] k = new byte[32];
        InitiationMessage m = new InitiationMessage().wrap(msg, offset);
        int e = m.ephemeralOffset();
        byte[] ephI = Arrays.copyOfRange(msg, e, e + 32);
        try {
            Kdf.derive(ck, ephI, ck, null, null);
            Blake2s.mixHash(h, ephI);
            byte[] es = Curve25519.dh(local.privateKeyRef(), ephI, "initiation");
            Kdf.derive(ck, es, ck, k, null);
            Arrays.fill(es, (byte) 0);
            int st = m.staticOffset();
            byte[] remoteStatic = new byte[32];
            if (!Aead.open(k, 0, msg, st, 32 + Protocol.TAG_LENGTH, h, remoteStatic, 0)) {
                throw new HandshakeException(DECRYPTION_FAILED,
                        "initiation: static key does not authenticate (not for our public key, or tampered)");
            }
            Blake2s.mixHash(h, msg, st, 32 + Protocol.TAG_LENGTH);
            byte[] ss = Curve25519.dh(local.privateKeyRef(), remoteStatic, "initiation");
            Kdf.derive(ck, ss, ck, k, null);
            Arrays.fill(ss, (byte) 0);
            int ts = m.timestampOffset();
            byte[] timestamp = new byte[Tai64n.LENGTH];
            if (!Aead.open(k, 0, msg, ts, Tai64n.LENGTH + Protocol.TAG_LENGTH, h, timestamp, 0)) {
                throw new HandshakeException(DECRYPTION_FAILED, "initiation: timestamp does not authenticate");
            }
            Blake2s.mixHash(h, msg, ts, Tai64n.LENGTH + Protocol.TAG_LENGTH);
            int sender = m.sender();
            return new InitiationResult(local, remoteStatic, timestamp, sender, h, ck.clone(), ephI);
        } finally {
            Arrays.fill(ck, (byte) 0);
            Arrays.fill(k, (byte) 0);
        }
    }

    /**
     * Second half of the responder, on the peer found by the result's static key: refuses a result for
     * another peer and a timestamp not later than the greatest seen (replay); then adopts the state.
     * Wipes the result in every case.
     */
    public void acceptInitiation(InitiationResult result) throws HandshakeException {
        try {
            if (result.local != local || !MessageDigest.isEqual(result.remoteStatic, remoteStatic)) {
                throw new HandshakeException(WRONG_STATIC_KEY, "initiation: sent by another static key than this peer's");
            }
            if (!Tai64n.after(result.timestamp, greatestTimestamp)) {
                throw new HandshakeException(REPLAYED_TIMESTAMP, "initiation: timestamp not newer than the last one (replay)");
            }
            System.arraycopy(result.timestamp, 0, greatestTimestamp, 0, Tai64n.LENGTH);
            System.arraycopy(result.hash, 0, hash, 0, 32);
            System.arraycopy(result.chainingKey, 0, chainingKey, 0, 32);
            System.arraycopy(result.remoteEphemeral, 0, remoteEphemeral, 0, 32);
            Arrays.fill(localEphemeralPrivate, (byte) 0);
            remoteIndex = result.senderIndex;
            state = State.INITIATION_CONSUMED;
        } finally {
            result.destroy();
        }
    }

    /** Writes our 92-byte response into {@code out[offset..+92)} with zeroed MAC fields. */
    public void createResponse(int senderIndex, byte[] out, int offset) throws HandshakeException {
        if (state != State.INITIATION_CONSUMED) {
            throw new HandshakeException(UNEXPECTED_STATE, "response: no initiation accepted (state " + state + ")");
        }
        java.util.Objects.checkFromIndexSize(offset, Protocol.MESSAGE_RESPONSE_SIZE, out.length);
        byte[] h = hash.clone();
        byte[] ck = chainingKey.clone();
        byte[] tau = new byte[32];
        byte[] k = new byte[32];
        byte[] ephPrivate = Keys.generatePrivateKey();
        byte[] ephPublic = Keys.publicKey(ephPrivate);
        try {
            ResponseMessage m = new ResponseMessage().wrap(out, offset).writeHeader()
                    .sender(senderIndex).receiver(remoteIndex);
            System.arraycopy(ephPublic, 0, out, m.ephemeralOffset(), 32);
            Kdf.derive(ck, ephPublic, ck, null, null);
            Blake2s.mixHash(h, ephPublic);
            byte[] ee = Curve25519.dh(ephPrivate, remoteEphemeral, "response");
            Kdf.derive(ck, ee, ck, null, null);
            Arrays.fill(ee, (byte) 0);
            byte[] es = Curve25519.dh(ephPrivate, remoteStatic, "response");
            Kdf.derive(ck, es, ck, null, null);
            Arrays.fill(es, (byte) 0);
            Kdf.derive(ck, presharedKey, ck, tau, k);
            Blake2s.mixHash(h, tau);
            int empty = m.emptyOffset();
            Aead.seal(k, 0, EMPTY, 0, 0, h, out, empty);
            Blake2s.mixHash(h, out, empty, Protocol.TAG_LENGTH);
            Arrays.fill(out, m.mac1Offset(), m.end(), (byte) 0);

            System.arraycopy(h, 0, hash, 0, 32);
            System.arraycopy(ck, 0, chainingKey, 0, 32);
            System.arraycopy(ephPrivate, 0, localEphemeralPrivate, 0, 32);
            localIndex = senderIndex;
            state = State.RESPONSE_CREATED;
        } finally {
            Arrays.fill(h, (byte) 0);
            Arrays.fill(ck, (byte) 0);
            Arrays.fill(tau, (byte) 0);
            Arrays.fill(k, (byte) 0);
            Arrays.fill(ephPrivate, (byte) 0);
        }
    }

    // ------------------------------------------------------------------ both

    /**
     * Derives the transport keys (after consumeResponse as initiator, after createResponse as
     * responder) and wipes the handshake state. The responder must not send data on the new keypair
     * before it has received the initiator's first transport message (whitepaper 5.4.6); that rule
     * is the device's.
     */
    public TransportKeypair beginSession() throws HandshakeException {
        boolean initiator;
        if (state == State.RESPONSE_CONSUMED) {
            initiator = true;
        } else if (state == State.RESPONSE_CREATED) {
            initiator = false;
        } else {
            throw new HandshakeException(UNEXPECTED_STATE, "session: handshake not complete (state " + state + ")");
        }
        byte[] t1 = new byte[32];
        byte[] t2 = new byte[32];
        try {
            Kdf.derive(chainingKey, EMPTY, t1, t2, null);
            return initiator
                    ? new TransportKeypair(t1, t2, localIndex, remoteIndex, true)
                    : new TransportKeypair(t2, t1, localIndex, remoteIndex, false);
        } finally {
            Arrays.fill(t1, (byte) 0);
            Arrays.fill(t2, (byte) 0);
            clear();
        }
    }

    /** Forgets the handshake in progress (keeps the greatest timestamp seen, the replay guard). */
    public void clear() {
        Arrays.fill(hash, (byte) 0);
        Arrays.fill(chainingKey, (byte) 0);
        Arrays.fill(localEphemeralPrivate, (byte) 0);
        Arrays.fill(remoteEphemeral, (byte) 0);
        state = State.ZEROED;
    }

    /** Wipes everything, including the preshared key and the precomputed static-static secret. */
    @Override
    public void close() {
        clear();
        Arrays.fill(presharedKey, (byte) 0);
        if (precomputedStaticStatic != null) {
            Arrays.fill(precomputedStaticStatic, (byte) 0);
        }
    }

    public State state() {
        return state;
    }

    /** Our index of the handshake in progress (the sender index we put in our last message). */
    public int localIndex() {
        return localIndex;
    }

    /** The peer's index, known after consumeResponse / acceptInitiation. */
    public int remoteIndex() {
        return remoteIndex;
    }

    public byte[] remoteStaticPublic() {
        return remoteStatic.clone();
    }

    /** A copy of the greatest TAI64N timestamp accepted from this peer. */
    public byte[] greatestTimestamp() {
        return greatestTimestamp.clone();
    }

    @Override
    public String toString() {
        return "Handshake[peer=" + Keys.toBase64(remoteStatic) + ", state=" + state + "]";
    }

    private static void requireMessage(byte[] msg, int offset, int type, int size, String what)
            throws HandshakeException {
        if (offset < 0 || msg.length - offset < size) {
            throw new HandshakeException(MALFORMED, what + ": message shorter than " + size + " bytes");
        }
        if (Protocol.messageType(msg, offset) != type) {
            throw new HandshakeException(MALFORMED, what + ": type field is not " + type);
        }
    }
}
