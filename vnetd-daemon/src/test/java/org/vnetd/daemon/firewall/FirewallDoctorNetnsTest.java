package org.vnetd.daemon.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetd.core.firewall.FirewallFinding;
import org.vnetd.core.firewall.FirewallIp;
import org.vnetd.core.firewall.FirewallNetwork;
import org.vnetd.core.firewall.FirewallPlan;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.firewall.FirewallPlanner;
import org.vnetd.core.firewall.ForwardMode;
import org.vnetd.core.firewall.NftablesRenderer;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/** The doctor's findings on real kernel state inside a namespace. */
class FirewallDoctorNetnsTest {
    @BeforeEach
    void requireNamespaces() {
        NetnsSupport.require("nft", "sysctl");
    }

    @Test
    void aCleanHostWithOurRulesHasNoFindings() {
        try (FirewallTopology t = new FirewallTopology(1)) {
            FirewallPlan p = new FirewallPlanner().plan(FirewallTopology.network(0, ForwardMode.NAT));
            new NftablesBackend(t.hostRunner).apply(p);
            List<FirewallFinding> f = doctor(t.hostRunner).diagnose(List.of(p));
            // br_netfilter is a host-wide module: only its finding may appear, and only if loaded
            assertTrue(f.stream().allMatch(x -> x.check().equals("br_netfilter")), f.toString());

            t.nft("flush", "ruleset"); // e.g. systemctl restart nftables
            List<FirewallFinding> after = doctor(t.hostRunner).diagnose(List.of(p));
            assertEquals(1, count(after, "vnetd_rules_missing"), after.toString());
            assertTrue(after.stream().anyMatch(x -> x.message().contains("network 'net0'") && x.hint().contains("firewall-reload")),
                    after.toString());
        }
    }

    @Test
    void findsForwardingOffDockersForwardDropAndDroppedDhcpDns() {
        try (TestNetns host = TestNetns.create("fwdoctor")) {
            CommandRunner runner = new ProcessCommandRunner(host.prefix(), java.time.Duration.ofSeconds(30));
            host.execOk("sysctl", "-qw", "net.ipv4.ip_forward=0");
            host.execWithInput("""
                    table ip filter {
                        chain FORWARD { type filter hook forward priority 0; policy drop; }
                    }
                    table inet firewalld_like {
                        chain filter_FORWARD {
                            type filter hook forward priority 10; policy accept;
                            ct state invalid drop
                            ip saddr 203.0.113.0/24 drop
                            reject with icmpx admin-prohibited
                        }
                    }
                    table inet hostfw {
                        chain input {
                            type filter hook input priority 0; policy accept;
                            udp dport { 53, 67 } drop
                            iifname "eth9" udp dport 67 drop
                        }
                    }
                    """, "nft", "-f", "-").orThrow();
            FirewallPlan virbr0 = new FirewallPlanner().plan(FirewallNetwork.nat("default", "virbr0",
                    List.of(new FirewallIp(IpPrefix.parse("192.168.122.1/24"), true, false))));
            List<FirewallFinding> f = new FirewallDoctor(runner, new NftablesRenderer(), false).diagnose(List.of(virbr0));
            assertEquals(1, count(f, "ip_forward"), f.toString());
            assertEquals(1, count(f, "foreign_forward_drop"), f.toString());
            assertTrue(f.stream().anyMatch(x -> x.check().equals("foreign_forward_drop")
                    && x.message().contains("table ip filter, chain FORWARD")), f.toString());
            // only the catch-all reject counts; "ct state invalid drop" and an address-limited drop do not
            assertEquals(1, count(f, "foreign_forward_reject"), f.toString());
            assertTrue(f.stream().anyMatch(x -> x.check().equals("foreign_forward_reject")
                    && x.message().contains("table inet firewalld_like, chain filter_FORWARD")), f.toString());
            // the rule limited to another interface does not affect our bridge
            assertEquals(1, count(f, "foreign_service_drop"), f.toString());
            assertTrue(f.stream().anyMatch(x -> x.check().equals("foreign_service_drop")
                    && x.message().contains("table inet hostfw, chain input")), f.toString());
        }
    }

    private static FirewallDoctor doctor(CommandRunner runner) {
        return new FirewallDoctor(runner, new NftablesRenderer(), true);
    }

    private static long count(List<FirewallFinding> f, String check) {
        return f.stream().filter(x -> x.check().equals(check)).count();
    }
}
