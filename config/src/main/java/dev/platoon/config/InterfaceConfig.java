package dev.platoon.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code [Interface]} section. The first three fields are wg(8)'s; the rest are wg-quick's and
 * are empty in a {@linkplain #stripped() stripped} view.
 *
 * @param privateKey  PrivateKey; required by wg-quick, optional for {@code wg setconf}
 * @param listenPort  ListenPort (0..65535; absent or 0 means a random port)
 * @param fwMark      FwMark as an unsigned 32-bit value; 0 means off
 * @param addresses   Address entries, in file order
 * @param dns         DNS entries that are IP addresses
 * @param dnsSearch   DNS entries that are search domains (wg-quick splits them the same way)
 * @param mtu         MTU (68..65535); absent means wg-quick picks one
 * @param table       Table; absent means auto
 * @param preUp       PreUp commands, one per key occurrence, in file order
 * @param saveConfig  SaveConfig = true
 */
public record InterfaceConfig(
        Optional<WgKey> privateKey,
        OptionalInt listenPort,
        int fwMark,
        List<InterfaceAddress> addresses,
        List<InetAddress> dns,
        List<String> dnsSearch,
        OptionalInt mtu,
        Optional<RouteTable> table,
        List<String> preUp,
        List<String> postUp,
        List<String> preDown,
        List<String> postDown,
        boolean saveConfig) {

    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65535;

    public InterfaceConfig {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(listenPort, "listenPort");
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(table, "table");
        addresses = List.copyOf(addresses);
        dns = List.copyOf(dns);
        dnsSearch = List.copyOf(dnsSearch);
        preUp = List.copyOf(preUp);
        postUp = List.copyOf(postUp);
        preDown = List.copyOf(preDown);
        postDown = List.copyOf(postDown);
        for (List<String> hooks : List.of(preUp, postUp, preDown, postDown)) {
            for (String command : hooks) {
                // A hook is one line of the file: '#' would start a comment there, and edges are trimmed.
                if (command.isEmpty() || !command.strip().equals(command) || command.indexOf('#') >= 0
                        || command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("hook command cannot be written as one line: " + Quote.of(command));
                }
            }
        }
        listenPort.ifPresent(p -> {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("ListenPort " + p + " is outside 0..65535");
            }
        });
        mtu.ifPresent(m -> {
            if (m < MIN_MTU || m > MAX_MTU) {
                throw new IllegalArgumentException("MTU " + m + " is outside " + MIN_MTU + ".." + MAX_MTU);
            }
        });
    }

    /** Only the wg(8) keys: what {@code wg-quick strip} keeps and {@code wg syncconf} reads. */
    public InterfaceConfig stripped() {
        return new InterfaceConfig(privateKey, listenPort, fwMark, List.of(), List.of(), List.of(),
                OptionalInt.empty(), Optional.empty(), List.of(), List.of(), List.of(), List.of(), false);
    }

    /** Never shows the private key. */
    @Override
    public String toString() {
        return "InterfaceConfig[privateKey=" + (privateKey.isPresent() ? "(hidden)" : "none")
                + ", listenPort=" + listenPort + ", fwMark=0x" + Integer.toHexString(fwMark)
                + ", addresses=" + addresses + ", dns=" + dns.stream().map(IpLiteral::format).toList()
                + ", dnsSearch=" + dnsSearch + ", mtu=" + mtu + ", table=" + table
                + ", preUp=" + preUp + ", postUp=" + postUp + ", preDown=" + preDown + ", postDown=" + postDown
                + ", saveConfig=" + saveConfig + "]";
    }
}
