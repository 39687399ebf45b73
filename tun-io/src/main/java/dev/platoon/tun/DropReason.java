package dev.platoon.tun;

/** Why a frame read from the device was dropped instead of split. Each has a counter. */
public enum DropReason {
    /** Shorter than the virtio_net_hdr plus the headers it claims. */
    TOO_SHORT,
    /** gso_type is not TCPV4, TCPV6 or UDP_L4 (UFO, type 3, is deprecated and never negotiated). */
    UNKNOWN_GSO_TYPE,
    /** A GSO frame with gso_size 0. */
    GSO_SIZE_ZERO,
    /** gso_type disagrees with the IP version or the L4 protocol found in the packet. */
    GSO_TYPE_MISMATCH,
    /** A GSO frame that is not IP (tap: EtherType is neither IPv4 nor IPv6). */
    NOT_IP,
    /** Bad IP version or header length, an IPv4 fragment, an IPv6 fragment header or a broken extension header. */
    BAD_IP_HEADER,
    /** IP total/payload length or UDP length does not match the frame length. */
    LENGTH_MISMATCH,
    /** TCP data offset below 20 or past the end of the frame. */
    BAD_L4_HEADER,
    /** NEEDS_CSUM with csum_start/csum_offset outside the packet. */
    BAD_CSUM_OFFSETS,
    /** A GSO frame without payload. */
    NO_PAYLOAD,
    /** More segments than the caller gave slots for. */
    TOO_MANY_SEGMENTS,
    /** A segment larger than the caller's slot. */
    SEGMENT_TOO_BIG
}
