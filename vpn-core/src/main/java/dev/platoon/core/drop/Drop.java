package dev.platoon.core.drop;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.platoon.crypto.HandshakeException;
import dev.platoon.tun.DropReason;

/**
 * Every reason a device drops a packet or message for: the one vocabulary that the counters count
 * by, {@code platoon show} prints, {@code platoon_drops_total{reason}} labels and docs/operations.md
 * lists ({@code DropDocsTest} holds the page to it). Each is counted once, where it happens.
 */
public enum Drop {
    // ---- tun → network: the outbound data path
    NO_ROUTE(Where.DATA_PATH, "no_route", "destination in no peer's AllowedIPs"),
    NO_ENDPOINT(Where.DATA_PATH, "no_endpoint", "the peer has no known endpoint yet"),
    MALFORMED_FRAME(Where.DATA_PATH, "malformed_frame", "the splitter refused the frame (its split_* reason says why)"),
    STAGED_QUEUE_FULL(Where.DATA_PATH, "staged_queue_full", "no session yet and the peer's staging queue is full"),
    COUNTER_EXHAUSTED(Where.DATA_PATH, "counter_exhausted", "the keypair's nonces were spent mid-train"),
    SEAL_FAILED(Where.DATA_PATH, "seal_failed", "the keypair closed under the seal, or the cipher engine faulted"),
    TRAIN_TOO_LARGE(Where.DATA_PATH, "train_too_large", "more segments than a train buffer holds"),
    // ---- network → tun: the inbound data path
    SHORT_DATAGRAM(Where.DATA_PATH, "short_datagram", "shorter than its message type needs"),
    BAD_MESSAGE_TYPE(Where.DATA_PATH, "bad_message_type", "the first 4 bytes are no WireGuard message type"),
    UNKNOWN_RECEIVER(Where.DATA_PATH, "unknown_receiver", "the receiver index names no live session"),
    DECRYPT_FAILED(Where.DATA_PATH, "decrypt_failed", "the tag did not verify"),
    REPLAYED(Where.DATA_PATH, "replayed", "the counter was seen before or is left of the window"),
    COUNTER_LIMIT(Where.DATA_PATH, "counter_limit", "authentic, but its counter reached REJECT_AFTER_MESSAGES"),
    MALFORMED_INNER(Where.DATA_PATH, "malformed_inner", "the decrypted bytes are not an IPv4/IPv6 packet"),
    SOURCE_NOT_ALLOWED(Where.DATA_PATH, "source_not_allowed", "the inner source is not in the sender's AllowedIPs"),
    MISROUTED_TRANSPORT(Where.DATA_PATH, "misrouted_transport", "data on the handshake socket while a port changes"),
    // ---- sockets and the tun device
    UDP_SEND_ERROR(Where.TRANSPORT, "udp_send_error", "sendmsg failed (no route, EPERM, EMSGSIZE, ...)"),
    UDP_IO_ERROR(Where.TRANSPORT, "udp_io_error", "an I/O error on a UDP socket"),
    TUN_WRITE_EAGAIN(Where.TRANSPORT, "tun_write_eagain", "the tun queue refused a write with EAGAIN"),
    TUN_SHORT_WRITE(Where.TRANSPORT, "tun_short_write", "the tun queue took fewer bytes than the frame"),
    TUN_WRITE_ERROR(Where.TRANSPORT, "tun_write_error", "a tun write failed (a bad virtio header, EIO, EBADFD)"),
    TUN_READ_ERROR(Where.TRANSPORT, "tun_read_error", "a tun read failed; reading stops"),
    SINK_ERROR(Where.TRANSPORT, "sink_error", "the data path threw on a datagram or frame"),
    CONTROL_SEND_NO_CHANNEL(Where.TRANSPORT, "control_send_no_channel", "a control message found no open socket"),
    CONTROL_SEND_BUFFER_FULL(Where.TRANSPORT, "control_send_buffer_full", "a control message found the send buffer full"),
    // ---- frames the GSO splitter refused (tun-io's DropReason)
    SPLIT_TOO_SHORT(Where.TUN, "split_too_short", "shorter than the headers it claims"),
    SPLIT_UNKNOWN_GSO_TYPE(Where.TUN, "split_unknown_gso_type", "a gso_type other than TCPv4, TCPv6, UDP_L4"),
    SPLIT_GSO_SIZE_ZERO(Where.TUN, "split_gso_size_zero", "a GSO frame with gso_size 0"),
    SPLIT_GSO_TYPE_MISMATCH(Where.TUN, "split_gso_type_mismatch", "gso_type disagrees with the packet"),
    SPLIT_NOT_IP(Where.TUN, "split_not_ip", "a GSO frame that is not IP"),
    SPLIT_BAD_IP_HEADER(Where.TUN, "split_bad_ip_header", "a bad IP header, a fragment or a broken extension header"),
    SPLIT_LENGTH_MISMATCH(Where.TUN, "split_length_mismatch", "IP or UDP length does not match the frame"),
    SPLIT_BAD_L4_HEADER(Where.TUN, "split_bad_l4_header", "a TCP data offset out of bounds"),
    SPLIT_BAD_CSUM_OFFSETS(Where.TUN, "split_bad_csum_offsets", "csum_start/csum_offset outside the packet"),
    SPLIT_NO_PAYLOAD(Where.TUN, "split_no_payload", "a GSO frame without payload"),
    SPLIT_TOO_MANY_SEGMENTS(Where.TUN, "split_too_many_segments", "more segments than slots"),
    SPLIT_SEGMENT_TOO_BIG(Where.TUN, "split_segment_too_big", "a segment larger than its slot"),
    // ---- handshake messages: admission and the worker
    HANDSHAKE_QUEUE_FULL(Where.HANDSHAKE, "handshake_queue_full", "the handshake worker's queue was full"),
    HANDSHAKE_BAD_SIZE(Where.HANDSHAKE, "handshake_bad_size", "a handshake message of the wrong size"),
    HANDSHAKE_BAD_TYPE(Where.HANDSHAKE, "handshake_bad_type", "not a handshake message type"),
    INVALID_MAC1(Where.HANDSHAKE, "invalid_mac1", "MAC1 did not verify: not for our public key"),
    HANDSHAKE_RATE_LIMITED(Where.HANDSHAKE, "handshake_rate_limited", "over the per-source limit under load"),
    COOKIE_REPLY_LIMITED(Where.HANDSHAKE, "cookie_reply_limited", "under load, no cookie, and its cookie replies are spent"),
    UNKNOWN_PEER(Where.HANDSHAKE, "unknown_peer", "an initiation from a static key we do not know"),
    UNKNOWN_INDEX(Where.HANDSHAKE, "unknown_index", "a response or cookie reply for an index we did not hand out"),
    INVALID_COOKIE_REPLY(Where.HANDSHAKE, "invalid_cookie_reply", "a cookie reply that does not open"),
    INITIATION_FLOOD(Where.HANDSHAKE, "initiation_flood", "a peer's initiations faster than the spec allows"),
    HANDSHAKE_NO_ENDPOINT(Where.HANDSHAKE, "handshake_no_endpoint", "a handshake message with nowhere to go"),
    HANDSHAKE_MALFORMED(Where.HANDSHAKE, "handshake_malformed", "the handshake could not be read"),
    HANDSHAKE_DECRYPTION_FAILED(Where.HANDSHAKE, "handshake_decryption_failed", "a handshake field did not open"),
    HANDSHAKE_ZERO_SHARED_SECRET(Where.HANDSHAKE, "handshake_zero_shared_secret", "X25519 gave the zero secret"),
    HANDSHAKE_WRONG_STATIC_KEY(Where.HANDSHAKE, "handshake_wrong_static_key", "the initiator's static key is not the peer's"),
    HANDSHAKE_REPLAYED_TIMESTAMP(Where.HANDSHAKE, "handshake_replayed_timestamp", "an initiation not newer than the last"),
    HANDSHAKE_WRONG_RECEIVER_INDEX(Where.HANDSHAKE, "handshake_wrong_receiver_index", "a response for another handshake"),
    HANDSHAKE_UNEXPECTED_STATE(Where.HANDSHAKE, "handshake_unexpected_state", "a response when none was awaited"),
    // ---- per peer, summed over the peers
    PEER_STAGED_QUEUE_FULL(Where.PEER, "peer_staged_queue_full", "the oldest staged packet made room for a new one"),
    PEER_HANDSHAKE_GAVE_UP(Where.PEER, "peer_handshake_gave_up", "staged packets dropped when the handshake gave up"),
    PEER_KEYS_ZEROED(Where.PEER, "peer_keys_zeroed", "staged packets dropped when the keys were zeroed"),
    PEER_STAGED_TOO_LARGE(Where.PEER, "peer_staged_too_large", "a staged packet too large to seal"),
    PEER_NO_ENDPOINT(Where.PEER, "peer_no_endpoint", "staged packets for a peer with no endpoint"),
    PEER_KEYPAIR_CLOSED(Where.PEER, "peer_keypair_closed", "a staged packet whose keypair closed under the seal"),
    // ---- a tap's Ethernet side (tap mode)
    TAP_NOT_IP(Where.TAP, "tap_not_ip", "neither IPv4, IPv6 nor ARP (LLDP, VLAN-tagged, ...)"),
    TAP_GROUP_NOT_ANSWERED(Where.TAP, "tap_group_not_answered", "broadcast or multicast that is no ARP/NS we answer"),
    TAP_OTHER_HOST(Where.TAP, "tap_other_host", "unicast to another host's MAC (a bridge floods unknowns)"),
    TAP_NEIGHBOUR_NOT_OURS(Where.TAP, "tap_neighbour_not_ours", "ARP/NS for an address neither in the tunnel nor ours"),
    TAP_SHORT_FRAME(Where.TAP, "tap_short_frame", "shorter than the virtio and Ethernet headers"),
    TAP_BAD_ETHERNET(Where.TAP, "tap_bad_ethernet", "a group source MAC, or an IP version unlike the EtherType"),
    TAP_BAD_VNET_OFFSETS(Where.TAP, "tap_bad_vnet_offsets", "csum_start or hdr_len inside the Ethernet header"),
    TAP_BAD_ARP(Where.TAP, "tap_bad_arp", "not Ethernet/IPv4 ARP, too short, or an unknown operation"),
    TAP_BAD_ND(Where.TAP, "tap_bad_nd", "neighbour discovery that RFC 4861 7.1 says to drop"),
    TAP_NO_NEIGHBOUR(Where.TAP, "tap_no_neighbour", "from the tunnel for a host whose MAC was not learned within a second, or no room to hold it"),
    TAP_NOT_IP_FROM_TUNNEL(Where.TAP, "tap_not_ip_from_tunnel", "from the tunnel and not IPv4 or IPv6");

    /** Where a drop is counted. */
    public enum Where { TUN, DATA_PATH, TRANSPORT, HANDSHAKE, PEER, TAP }

    private static final Drop[] SPLIT = new Drop[DropReason.values().length];
    private static final Map<Where, List<Drop>> BY_WHERE = new EnumMap<>(Where.class);

    static {
        for (DropReason r : DropReason.values()) {
            SPLIT[r.ordinal()] = valueOf("SPLIT_" + r.name());
        }
        for (Where w : Where.values()) {
            BY_WHERE.put(w, Arrays.stream(values()).filter(d -> d.where == w).toList());
        }
    }

    private final Where where;
    private final String label;
    private final String meaning;

    Drop(Where where, String label, String meaning) {
        this.where = where;
        this.label = label;
        this.meaning = meaning;
    }

    /** The {@code reason} label and the word {@code platoon show} prints. */
    public String label() {
        return label;
    }

    public Where where() {
        return where;
    }

    /** One line: what happened. */
    public String meaning() {
        return meaning;
    }

    /** The reasons counted in {@code where}, in the registry's order. */
    public static List<Drop> countedIn(Where where) {
        return BY_WHERE.get(where);
    }

    /** The registry's name for a reason the splitter gives. */
    public static Drop split(DropReason reason) {
        return SPLIT[reason.ordinal()];
    }

    /** The registry's name for a handshake crypto refused. */
    public static Drop refused(HandshakeException.Reason reason) {
        return valueOf("HANDSHAKE_" + reason.name().toUpperCase(Locale.ROOT));
    }
}
