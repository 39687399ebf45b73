package dev.platoon.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Every key the parser knows, with its canonical spelling, its section and its dialect. */
enum ConfigKey {
    PRIVATE_KEY("PrivateKey", true, false, false),
    LISTEN_PORT("ListenPort", true, false, false),
    FW_MARK("FwMark", true, false, false),
    ADDRESS("Address", true, true, true),
    DNS("DNS", true, true, true),
    MTU("MTU", true, true, false),
    TABLE("Table", true, true, false),
    PRE_UP("PreUp", true, true, true),
    POST_UP("PostUp", true, true, true),
    PRE_DOWN("PreDown", true, true, true),
    POST_DOWN("PostDown", true, true, true),
    SAVE_CONFIG("SaveConfig", true, true, false),

    PUBLIC_KEY("PublicKey", false, false, false),
    PRESHARED_KEY("PresharedKey", false, false, false),
    ALLOWED_IPS("AllowedIPs", false, false, true),
    ENDPOINT("Endpoint", false, false, false),
    PERSISTENT_KEEPALIVE("PersistentKeepalive", false, false, false);

    private static final Map<String, ConfigKey> BY_LOWER_NAME = new HashMap<>();

    static {
        for (ConfigKey k : values()) {
            BY_LOWER_NAME.put(k.canonical.toLowerCase(Locale.ROOT), k);
        }
    }

    /** The spelling wg(8) and wg-quick print. */
    final String canonical;
    /** In [Interface] (else in [Peer]). */
    final boolean iface;
    /** Only wg-quick knows it; wg(8) and wg-quick strip do not. */
    final boolean wgQuickOnly;
    /** May repeat, values accumulating; a single-valued key given twice is an error. */
    final boolean repeatable;

    ConfigKey(String canonical, boolean iface, boolean wgQuickOnly, boolean repeatable) {
        this.canonical = canonical;
        this.iface = iface;
        this.wgQuickOnly = wgQuickOnly;
        this.repeatable = repeatable;
    }

    /** Case-insensitive lookup (wg(8) uses strcasecmp), or null. */
    static ConfigKey lookup(String name) {
        return BY_LOWER_NAME.get(name.toLowerCase(Locale.ROOT));
    }
}
