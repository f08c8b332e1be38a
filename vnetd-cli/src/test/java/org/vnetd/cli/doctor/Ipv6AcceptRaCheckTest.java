package org.vnetd.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.vnetd.core.rpc.NetworkSummary;

/** The forwarding trap against canned host data; {@code Ipv6AcceptRaNamespaceTest} stages it for real. */
class Ipv6AcceptRaCheckTest {
    record Canned(Map<String, String> sysctls, String routes6, String addrs6) implements HostProbe {
        @Override
        public Optional<String> sysctl(String path) {
            return Optional.ofNullable(sysctls.get(path));
        }

        @Override
        public String ipJson(String... args) {
            return args[1].equals("route") ? routes6 : addrs6;
        }
    }

    static final String RA_ROUTE = "[{\"dst\":\"default\",\"gateway\":\"fe80::1\",\"dev\":\"eth0\",\"protocol\":\"ra\",\"metric\":1024}]";
    static final String SLAAC = "[{\"ifname\":\"eth0\",\"addr_info\":[{\"family\":\"inet6\",\"local\":\"2001:db8::5\","
            + "\"prefixlen\":64,\"scope\":\"global\",\"dynamic\":true}]}]";
    static final String XML = "<network><name>six</name><forward mode='nat'/><bridge name='br6'/>"
            + "<ip family='ipv6' address='fd00::1' prefix='64'/></network>";

    private static Finding run(String forwarding, String acceptRa, String routes, String addrs, List<NetworkFacts> nets) {
        Map<String, String> s = new HashMap<>();
        s.put("net/ipv6/conf/all/forwarding", forwarding);
        s.put("net/ipv6/conf/eth0/accept_ra", acceptRa);
        List<Finding> f = new Ipv6AcceptRaCheck().run(new Canned(s, routes, addrs), nets);
        assertEquals(1, f.size(), f.toString());
        return f.getFirst();
    }

    @Test
    void forwardingOnWithAnRaLearningUplinkAtOneFails() {
        Finding f = run("1", "1", RA_ROUTE, "[]", List.of());
        assertEquals(Severity.FAIL, f.severity());
        assertTrue(f.summary().contains("eth0"), f.summary());
        assertTrue(f.fix().startsWith("sysctl -w net.ipv6.conf.eth0.accept_ra=2"), f.fix());
        // the routes are gone already (dropped when forwarding went on): the SLAAC address still tells
        assertEquals(Severity.FAIL, run("1", "1", "[]", SLAAC, List.of()).severity());
    }

    @Test
    void acceptRaTwoOrNoRaIsFine() {
        assertEquals(Severity.OK, run("1", "2", RA_ROUTE, SLAAC, List.of()).severity());
        assertEquals(Severity.OK, run("1", "1", "[]", "[]", List.of()).severity());
    }

    @Test
    void forwardingOffSaysWhatStartingAnIpv6NatNetworkDoes() {
        NetworkFacts six = NetworkFacts.of(new NetworkSummary("six", "u", false, true, false, "br6", null), XML, List.of(), List.of());
        Finding f = run("0", "1", RA_ROUTE, "[]", List.of(six));
        assertEquals(Severity.INFO, f.severity());
        assertTrue(f.summary().contains("six") && f.summary().contains("accept_ra = 2 on eth0"), f.summary());
        assertEquals(Severity.OK, run("0", "1", RA_ROUTE, "[]", List.of()).severity());
    }

    @Test
    void aKernelWithoutIpv6HasNothingToSay() {
        assertEquals(List.of(), new Ipv6AcceptRaCheck().run(new Canned(Map.of(), "[]", "[]"), List.of()));
    }
}
