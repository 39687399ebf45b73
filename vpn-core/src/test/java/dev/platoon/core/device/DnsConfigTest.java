package dev.platoon.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.platoon.config.ConfigParser;
import dev.platoon.config.InterfaceConfig;

class DnsConfigTest {
    private static InterfaceConfig iface(String dns) throws Exception {
        return ConfigParser.parse("[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n"
                + (dns == null ? "" : "DNS = " + dns + "\n"), "wg0.conf").iface();
    }

    @Test
    void resolvconfReadsNameserversThenOneSearchLine() throws Exception {
        InterfaceConfig i = iface("10.64.0.1, example.com, 2001:db8:0::53, corp.example");
        assertEquals("nameserver 10.64.0.1\nnameserver 2001:db8::53\nsearch example.com corp.example\n",
                DnsConfig.resolvconfInput(i.dns(), i.dnsSearch()));
        InterfaceConfig only = iface("1.1.1.1");
        assertEquals("nameserver 1.1.1.1\n", DnsConfig.resolvconfInput(only.dns(), only.dnsSearch()));
    }

    @Test
    void interfacePrefixIsWgQuicks() {
        assertEquals("tun.", DnsConfig.interfacePrefix(List.of("# comment", "lo.inet6", "lo", "tun*", "tap*",
                "hso*", "*")));
        assertEquals("", DnsConfig.interfacePrefix(List.of()));
    }

    @Test
    void upAndDownThroughResolvconf() throws Exception {
        RecordingHost host = new RecordingHost();
        host.resolvconf = true;
        host.files.put(DnsConfig.INTERFACE_ORDER, List.of("lo", "tun*", "*"));
        DnsConfig d = DnsConfig.of("wg0", iface("10.64.0.1, lan"), host);
        d.apply();
        assertEquals(List.of("resolvconf -a tun.wg0 -m 0 -x"), host.commands);
        assertEquals("nameserver 10.64.0.1\nsearch lan\n", host.stdins.getFirst());
        d.remove();
        d.remove();
        assertEquals(List.of("resolvconf -a tun.wg0 -m 0 -x", "resolvconf -d tun.wg0 -f"), host.commands);
    }

    @Test
    void withoutResolvconfOneWarningAndNothingRuns() throws Exception {
        RecordingHost host = new RecordingHost();
        DnsConfig d = DnsConfig.of("wg0", iface("10.64.0.1"), host);
        d.apply();
        d.remove();
        assertEquals(List.of(), host.commands);
        assertEquals(1, host.logs.size());
        assertTrue(host.logs.getFirst().contains("DNS = 10.64.0.1 not applied: resolvconf is not installed"),
                host.logs.getFirst());

        RecordingHost none = new RecordingHost();
        DnsConfig.of("wg0", iface(null), none).apply();
        assertEquals(List.of(), none.logs);
    }
}
