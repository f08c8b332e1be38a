package org.vnetd.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.vnetd.core.rpc.Lease;
import org.vnetd.core.rpc.NetworkSummary;

/** The checks against canned host data, for the cases a namespace cannot stage (br_netfilter, full pools). */
class DoctorChecksTest {
    record Canned(Map<String, String> sysctls, String links, String routes4) implements HostProbe {
        @Override
        public Optional<String> sysctl(String path) {
            return Optional.ofNullable(sysctls.get(path));
        }

        @Override
        public String ipJson(String... args) {
            if (args[0].equals("link")) {
                return links;
            }
            return args[0].equals("-4") ? routes4 : "[]";
        }
    }

    static final String XML = "<network><name>n</name><forward/><bridge name='br9'/>"
            + "<ip address='10.9.0.1' prefix='30'><dhcp><range start='10.9.0.2' end='10.9.0.2'/></dhcp></ip></network>";

    @Test
    void brNetfilterCallingIptablesIsAWarning() {
        var host = new Canned(Map.of("net/bridge/bridge-nf-call-iptables", "1"), "[]", "[]");
        Finding f = new BrNetfilterCheck().run(host, List.of()).getFirst();
        assertEquals(Severity.WARN, f.severity());
        assertTrue(f.fix().startsWith("sysctl -w net.bridge.bridge-nf-call-iptables=0"));
        assertEquals(Severity.OK, new BrNetfilterCheck().run(new Canned(Map.of(), "[]", "[]"), List.of())
                .getFirst().severity());
    }

    @Test
    void aFullPoolFailsAndExpiredLeasesDoNotCount() {
        NetworkSummary s = new NetworkSummary("n", "u", true, true, false, "br9", null);
        var full = NetworkFacts.of(s, XML, List.of(new Lease(0, "52:54:00:00:00:01", "ipv4", "10.9.0.2", 30, null,
                null)), List.of());
        assertEquals(Severity.FAIL, new DhcpPoolCheck(100).run(null, List.of(full)).getFirst().severity());
        var expired = NetworkFacts.of(s, XML, List.of(new Lease(50, "52:54:00:00:00:01", "ipv4", "10.9.0.2", 30, null,
                null)), List.of());
        assertEquals(Severity.OK, new DhcpPoolCheck(100).run(null, List.of(expired)).getFirst().severity());
    }

    @Test
    void theNetworksOwnRouteIsNoOverlapAndAMissingBridgeFails() {
        NetworkSummary s = new NetworkSummary("n", "u", true, true, false, "br9", null);
        var facts = NetworkFacts.of(s, XML, List.of(), List.of());
        var host = new Canned(Map.of("net/ipv4/ip_forward", "1"), "[{\"ifname\":\"lo\",\"flags\":[\"UP\"]}]",
                "[{\"dst\":\"10.9.0.0/30\",\"dev\":\"br9\"},{\"dst\":\"default\",\"dev\":\"eth0\"}]");
        assertEquals(Severity.OK, new RouteOverlapCheck().run(host, List.of(facts)).getFirst().severity());
        Finding bridge = new LinkCheck().run(host, List.of(facts)).getFirst();
        assertEquals(Severity.FAIL, bridge.severity());
        assertEquals("vnetctl net-destroy n && vnetctl net-start n", bridge.fix());
        assertEquals(Severity.OK, new IpForwardCheck().run(host, List.of(facts)).getFirst().severity());
    }

    @Test
    void aDegradedNetworkFailsWithItsReasonAndAHealthyOneIsOk() {
        var degraded = NetworkFacts.of(new NetworkSummary("n", "u", true, true, false, "br9", null,
                "DHCP: lease log cannot be written (No space left on device)"), XML, List.of(), List.of());
        Finding f = new ServiceHealthCheck().run(null, List.of(degraded)).getFirst();
        assertEquals(Severity.FAIL, f.severity());
        assertEquals("network 'n' is degraded", f.summary());
        assertTrue(f.why().contains("No space left on device"), f.why());
        var healthy = NetworkFacts.of(new NetworkSummary("n", "u", true, true, false, "br9", null), XML, List.of(), List.of());
        assertEquals(Severity.OK, new ServiceHealthCheck().run(null, List.of(healthy)).getFirst().severity());
        var inactive = NetworkFacts.of(new NetworkSummary("n", "u", false, true, false, "br9", null), XML, List.of(), List.of());
        assertEquals(List.of(), new ServiceHealthCheck().run(null, List.of(inactive)));
    }
}
