package org.vnetd.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.vnetd.core.rpc.Lease;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.rpc.Port;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * Each doctor check against a namespace where the problem is created on purpose (forwarding off, a route
 * overlapping the subnet, the bridge down, one tap detached and one gone, a nearly full DHCP pool), then
 * fixed: the same checks must then pass.
 */
class DoctorNamespaceTest {
    static final String XML = """
            <network>
              <name>lab</name>
              <forward mode='nat'/>
              <bridge name='vntbr0'/>
              <ip address='192.168.122.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.122.2' end='192.168.122.21'/>
                </dhcp>
              </ip>
            </network>
            """;

    @Test
    void findsTheProblemsAndPassesOnceFixed() {
        NetnsSupport.require("ip", "sysctl");
        try (TestNetns ns = TestNetns.create("doctor")) {
            ns.execOk("ip", "link", "add", "vntbr0", "type", "bridge");
            ns.execOk("ip", "tuntap", "add", "vnttap0", "mode", "tap");
            ns.execOk("ip", "link", "add", "vntd0", "type", "veth", "peer", "name", "vntd1");
            ns.execOk("ip", "link", "set", "vntd1", "up");
            ns.execOk("ip", "link", "set", "vntd0", "up");
            ns.execOk("ip", "route", "add", "192.168.122.0/25", "dev", "vntd0");
            ns.execOk("sysctl", "-qw", "net.ipv4.ip_forward=0");

            NetworkSummary summary = new NetworkSummary("lab", "u", true, true, false, "vntbr0", null);
            List<Lease> leases = new ArrayList<>();
            for (int i = 2; i <= 20; i++) {
                leases.add(new Lease(0, String.format("52:54:00:00:00:%02x", i), "ipv4", "192.168.122." + i, 24,
                        null, null));
            }
            List<Port> ports = List.of(new Port("p0", "lab", "vnttap0", null, null, "vntbr0", null, null, null, null, false, null, 1, false,
                    Port.OK, List.of(), null),
                    new Port("p1", "lab", "vnttap1", null, null, "vntbr0", null, null, null, null, false, null, 1,
                            false, Port.OK, List.of(), null));
            NetworkFacts facts = NetworkFacts.of(summary, XML, leases, ports);
            Doctor doctor = Doctor.standard(new CommandHostProbe(ns.prefix()), 1_000_000, FirewallDiagnostics.PENDING);

            Map<String, List<Finding>> before = byCheck(doctor.examine(List.of(facts)));
            assertEquals(Severity.FAIL, only(before, "ip_forward").severity());
            Finding route = only(before, "route-overlap");
            assertEquals(Severity.FAIL, route.severity());
            assertTrue(route.summary().contains("192.168.122.0/25 via vntd0"), route.summary());
            assertTrue(route.fix().contains("ip route del 192.168.122.0/25 dev vntd0"), route.fix());
            assertEquals(Severity.FAIL, only(before, "bridge").severity());
            assertTrue(only(before, "bridge").summary().contains("is down"));
            List<Finding> taps = before.get("tap");
            assertEquals(2, taps.size(), taps.toString());
            assertTrue(taps.get(0).summary().contains("vnttap0") && taps.get(0).summary().contains("detached"));
            assertTrue(taps.get(0).fix().equals("ip link set vnttap0 master vntbr0"));
            assertTrue(taps.get(1).summary().contains("vnttap1 of port p1 is gone"));
            Finding pool = only(before, "dhcp-pool");
            assertEquals(Severity.WARN, pool.severity());
            assertTrue(pool.summary().contains("19 of 20 addresses leased (95%)"), pool.summary());
            assertEquals(Severity.INFO, only(before, "firewall").severity());
            assertTrue(before.containsKey("br_netfilter"));

            // fix everything the findings said to fix
            ns.execOk("sysctl", "-qw", "net.ipv4.ip_forward=1");
            ns.execOk("ip", "route", "del", "192.168.122.0/25", "dev", "vntd0");
            ns.execOk("ip", "link", "set", "vntbr0", "up");
            ns.execOk("ip", "link", "set", "vnttap0", "master", "vntbr0");
            NetworkFacts fixed = NetworkFacts.of(summary, XML, leases.subList(0, 5), ports.subList(0, 1));
            Map<String, List<Finding>> after = byCheck(doctor.examine(List.of(fixed)));
            assertEquals(Severity.OK, only(after, "ip_forward").severity());
            assertEquals(Severity.OK, only(after, "route-overlap").severity());
            assertEquals(Severity.OK, only(after, "bridge").severity());
            assertEquals(null, after.get("tap"));
            assertEquals(Severity.OK, only(after, "dhcp-pool").severity());
        }
    }

    static Map<String, List<Finding>> byCheck(List<Finding> findings) {
        return findings.stream().collect(Collectors.groupingBy(Finding::check));
    }

    static Finding only(Map<String, List<Finding>> findings, String check) {
        List<Finding> f = findings.get(check);
        assertEquals(1, f == null ? 0 : f.size(), check + ": " + f);
        return f.getFirst();
    }
}
