package dev.platoon.core.routing;

import dev.platoon.config.IpPrefix;
import dev.platoon.tun.Ipv4Header;
import dev.platoon.tun.Ipv6Header;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Cryptokey routing table: longest-prefix match from an IP address to a value (a peer), one
 * path-compressed binary trie per address family, like wireguard-go's allowedips.go.
 *
 * <p>Threads: lookups run on every queue loop at once, updates are rare and come from the control
 * thread. The trie is persistent (immutable nodes); an update copies only the path from the root to
 * the changed node and publishes the new root with one volatile store. A lookup therefore takes no
 * lock, allocates nothing, and sees either the old or the new table, never a half-built one. Writers
 * serialise on {@code this}.
 *
 * <p>Values are compared by identity ({@code ==}), as a peer is.
 */
public final class AllowedIps<T> {

    /** Immutable trie node; {@code value == null} marks a glue node that only branches. */
    private record Node<T>(long hi, long lo, int bits, T value, Node<T> zero, Node<T> one) {
        Node<T> child(int bit) {
            return bit == 0 ? zero : one;
        }

        Node<T> withChild(int bit, Node<T> c) {
            return bit == 0 ? new Node<>(hi, lo, bits, value, c, one) : new Node<>(hi, lo, bits, value, zero, c);
        }

        Node<T> withValue(T v) {
            return new Node<>(hi, lo, bits, v, zero, one);
        }
    }

    private volatile Node<T> v4;
    private volatile Node<T> v6;
    private int size; // guarded by this

    // ---------------------------------------------------------------- lookups (any thread, lock-free)

    /**
     * The value whose prefix is the longest match for the destination address of the IPv4 or IPv6
     * packet whose header starts at {@code ipHeaderOffset} (absolute index; the buffer's position and
     * byte order do not matter). Null for no match, an unknown IP version or a truncated header.
     */
    public T lookup(ByteBuffer buf, int ipHeaderOffset) {
        return lookupAt(buf, ipHeaderOffset, Ipv4Header.DST, Ipv6Header.DST);
    }

    /** Like {@link #lookup} for the source address: the inbound check that a peer may send from it. */
    public T lookupSource(ByteBuffer buf, int ipHeaderOffset) {
        return lookupAt(buf, ipHeaderOffset, Ipv4Header.SRC, Ipv6Header.SRC);
    }

    /**
     * The IP flyweights' layout, read with static offsets rather than a wrapped instance: lookups run on
     * every queue loop at once and a shared flyweight would be shared mutable state.
     */
    private T lookupAt(ByteBuffer buf, int off, int v4At, int v6At) {
        if (off < 0 || off >= buf.limit()) {
            return null;
        }
        boolean little = buf.order() == ByteOrder.LITTLE_ENDIAN;
        switch ((buf.get(off) >> 4) & 0xf) {
            case Ipv4Header.VERSION -> {
                if (buf.limit() - off < Ipv4Header.MIN_LENGTH) {
                    return null;
                }
                int a = buf.getInt(off + v4At);
                return find(v4, (long) (little ? Integer.reverseBytes(a) : a) << 32, 0, 32);
            }
            case Ipv6Header.VERSION -> {
                if (buf.limit() - off < Ipv6Header.LENGTH) {
                    return null;
                }
                long h = buf.getLong(off + v6At), l = buf.getLong(off + v6At + 8);
                return little ? find(v6, Long.reverseBytes(h), Long.reverseBytes(l), 128) : find(v6, h, l, 128);
            }
            default -> {
                return null;
            }
        }
    }

    /** Longest match for a 4- or 16-byte address (network order); for the control plane and tests. */
    public T lookup(byte[] address) {
        IpPrefix p = IpPrefix.of(address, address.length * 8);
        return p.ipv6() ? find(v6, p.hi(), p.lo(), 128) : find(v4, p.hi(), 0, 32);
    }

    private static <T> T find(Node<T> node, long hi, long lo, int max) {
        T found = null;
        while (node != null && commonBits(node.hi, node.lo, hi, lo) >= node.bits) {
            if (node.value != null) {
                found = node.value;
            }
            if (node.bits == max) {
                break;
            }
            node = node.child(bitAt(hi, lo, node.bits));
        }
        return found;
    }

    // ---------------------------------------------------------------- updates (serialised)

    /** Routes {@code prefix} to {@code value}, replacing whatever value it had (the prefix moves). */
    public synchronized void insert(IpPrefix prefix, T value) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null");
        }
        if (prefix.ipv6()) {
            v6 = insert(v6, prefix.hi(), prefix.lo(), prefix.bits(), value);
        } else {
            v4 = insert(v4, prefix.hi(), prefix.lo(), prefix.bits(), value);
        }
    }

    /** Removes {@code prefix}; returns the value it routed to, or null if it was not present. */
    public synchronized T remove(IpPrefix prefix) {
        Node<T> root = prefix.ipv6() ? v6 : v4;
        Node<T> exact = exact(root, prefix);
        if (exact == null) {
            return null;
        }
        Node<T> updated = remove(root, prefix.hi(), prefix.lo(), prefix.bits());
        if (prefix.ipv6()) {
            v6 = updated;
        } else {
            v4 = updated;
        }
        size--;
        return exact.value;
    }

    /** Removes every prefix routed to {@code value} (a peer being removed or getting replace_allowed_ips). */
    public synchronized void removeAll(T value) {
        v4 = removeAll(v4, value);
        v6 = removeAll(v6, value);
    }

    public synchronized void clear() {
        v4 = null;
        v6 = null;
        size = 0;
    }

    /** Prefixes routed to {@code value}, IPv4 first, each family in trie order. */
    public List<IpPrefix> entries(T value) {
        List<IpPrefix> out = new ArrayList<>();
        forEach((p, v) -> {
            if (v == value) {
                out.add(p);
            }
        });
        return out;
    }

    /**
     * Every value's prefixes from one walk of the table (IPv4 first, each family in trie order), in
     * the order values are first met: for listing all peers at once, where {@link #entries} per peer
     * would walk the whole table once per peer.
     */
    public Map<T, List<IpPrefix>> byValue() {
        Map<T, List<IpPrefix>> out = new java.util.IdentityHashMap<>();
        forEach((p, v) -> out.computeIfAbsent(v, k -> new ArrayList<>()).add(p));
        return out;
    }

    /** Every (prefix, value) pair; each family is walked in one consistent snapshot. */
    public void forEach(BiConsumer<IpPrefix, T> action) {
        walk(v4, false, action);
        walk(v6, true, action);
    }

    public synchronized int size() {
        return size;
    }

    // ---------------------------------------------------------------- persistent trie operations

    private Node<T> insert(Node<T> node, long hi, long lo, int bits, T value) {
        if (node == null) {
            size++;
            return new Node<>(hi, lo, bits, value, null, null);
        }
        int common = Math.min(commonBits(node.hi, node.lo, hi, lo), Math.min(node.bits, bits));
        if (common == node.bits && node.bits == bits) {
            if (node.value == null) {
                size++;
            }
            return node.withValue(value);
        }
        if (common == node.bits) { // node is a strict prefix of the new one: descend
            int bit = bitAt(hi, lo, node.bits);
            return node.withChild(bit, insert(node.child(bit), hi, lo, bits, value));
        }
        if (common == bits) { // the new prefix contains node: it becomes node's parent
            size++;
            Node<T> fresh = new Node<>(hi, lo, bits, value, null, null);
            return fresh.withChild(bitAt(node.hi, node.lo, bits), node);
        }
        // They diverge below both: a glue node at the divergence point takes both.
        size++;
        Node<T> leaf = new Node<>(hi, lo, bits, value, null, null);
        long gh = IpPrefix.maskHi(hi, common), gl = IpPrefix.maskLo(lo, common);
        return bitAt(hi, lo, common) == 0
                ? new Node<>(gh, gl, common, null, leaf, node)
                : new Node<>(gh, gl, common, null, node, leaf);
    }

    private static <T> Node<T> exact(Node<T> node, IpPrefix p) {
        while (node != null && node.bits <= p.bits() && commonBits(node.hi, node.lo, p.hi(), p.lo()) >= node.bits) {
            if (node.bits == p.bits()) {
                return node.value != null ? node : null;
            }
            node = node.child(bitAt(p.hi(), p.lo(), node.bits));
        }
        return null;
    }

    /** Caller has checked that the exact prefix is present. */
    private static <T> Node<T> remove(Node<T> node, long hi, long lo, int bits) {
        if (node.bits == bits) {
            return collapse(node.withValue(null));
        }
        int bit = bitAt(hi, lo, node.bits);
        return collapse(node.withChild(bit, remove(node.child(bit), hi, lo, bits)));
    }

    private Node<T> removeAll(Node<T> node, T value) {
        if (node == null) {
            return null;
        }
        Node<T> z = removeAll(node.zero, value), o = removeAll(node.one, value);
        T v = node.value;
        if (v != null && v == value) {
            v = null;
            size--;
        }
        if (z == node.zero && o == node.one && v == node.value) {
            return node; // untouched subtree: keep sharing it
        }
        return collapse(new Node<>(node.hi, node.lo, node.bits, v, z, o));
    }

    /** A glue node with fewer than two children is useless: replace it by its child (or nothing). */
    private static <T> Node<T> collapse(Node<T> node) {
        if (node.value != null || (node.zero != null && node.one != null)) {
            return node;
        }
        return node.zero != null ? node.zero : node.one;
    }

    private static <T> void walk(Node<T> node, boolean ipv6, BiConsumer<IpPrefix, T> action) {
        if (node == null) {
            return;
        }
        if (node.value != null) {
            action.accept(new IpPrefix(ipv6, node.hi, node.lo, node.bits), node.value);
        }
        walk(node.zero, ipv6, action);
        walk(node.one, ipv6, action);
    }

    // ---------------------------------------------------------------- 128-bit helpers

    /** Number of leading bits two 128-bit keys share (128 when equal). */
    static int commonBits(long h1, long l1, long h2, long l2) {
        long x = h1 ^ h2;
        return x != 0 ? Long.numberOfLeadingZeros(x) : 64 + Long.numberOfLeadingZeros(l1 ^ l2);
    }

    /** Bit {@code i} (0 = most significant) of a 128-bit key. */
    static int bitAt(long hi, long lo, int i) {
        return (int) (i < 64 ? (hi >>> (63 - i)) & 1 : (lo >>> (127 - i)) & 1);
    }
}
