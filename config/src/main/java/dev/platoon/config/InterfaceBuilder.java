package dev.platoon.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Collects the keys of one {@code [Interface]} section while parsing. */
final class InterfaceBuilder {
    final int headerLine;
    /** A PrivateKey line was present (even a bad one), so "missing PrivateKey" would be a second, false error. */
    boolean privateKeySeen;

    private WgKey privateKey;
    private OptionalInt listenPort = OptionalInt.empty();
    private int fwMark;
    private final List<InterfaceAddress> addresses = new ArrayList<>();
    private final List<InetAddress> dns = new ArrayList<>();
    private final List<String> dnsSearch = new ArrayList<>();
    private OptionalInt mtu = OptionalInt.empty();
    private RouteTable table;
    private final List<String> preUp = new ArrayList<>();
    private final List<String> postUp = new ArrayList<>();
    private final List<String> preDown = new ArrayList<>();
    private final List<String> postDown = new ArrayList<>();
    private boolean saveConfig;

    InterfaceBuilder(int headerLine) {
        this.headerLine = headerLine;
    }

    void apply(ConfigKey key, String value) {
        switch (key) {
            case PRIVATE_KEY -> {
                privateKeySeen = true;
                privateKey = Values.key(value);
            }
            case LISTEN_PORT -> listenPort = OptionalInt.of(Values.port(value));
            case FW_MARK -> fwMark = Values.fwMark(value);
            case ADDRESS -> {
                for (String entry : Values.list(value, true)) {
                    addresses.add(InterfaceAddress.parse(entry));
                }
            }
            case DNS -> {
                for (String entry : Values.list(value, true)) {
                    addDns(entry);
                }
            }
            case MTU -> mtu = OptionalInt.of(Values.mtu(value));
            case TABLE -> table = RouteTable.parse(value);
            case PRE_UP -> preUp.add(Values.command(value));
            case POST_UP -> postUp.add(Values.command(value));
            case PRE_DOWN -> preDown.add(Values.command(value));
            case POST_DOWN -> postDown.add(Values.command(value));
            case SAVE_CONFIG -> saveConfig = Values.bool(value);
            default -> throw new IllegalStateException("not an [Interface] key: " + key);
        }
    }

    /** Like wg-quick: an IP address is a resolver, anything else a search domain. */
    private void addDns(String entry) {
        InetAddress address = IpLiteral.parse(entry);
        if (address != null) {
            dns.add(address);
        } else if (IpLiteral.looksLikeIp(entry)) {
            throw new IllegalArgumentException(Quote.of(entry) + " is not a valid IP address");
        } else if (Endpoint.isHostName(entry)) {
            dnsSearch.add(entry);
        } else {
            throw new IllegalArgumentException(Quote.of(entry) + " is neither an IP address nor a search domain");
        }
    }

    boolean hasPrivateKey() {
        return privateKey != null;
    }

    InterfaceConfig build() {
        return new InterfaceConfig(Optional.ofNullable(privateKey), listenPort, fwMark, addresses, dns, dnsSearch,
                mtu, Optional.ofNullable(table), preUp, postUp, preDown, postDown, saveConfig);
    }
}
