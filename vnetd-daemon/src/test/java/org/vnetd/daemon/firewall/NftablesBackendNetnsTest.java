package org.vnetd.daemon.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.firewall.Family;
import org.vnetd.core.firewall.FirewallIp;
import org.vnetd.core.firewall.FirewallNetwork;
import org.vnetd.core.firewall.FirewallPlan;
import org.vnetd.core.firewall.FirewallPlanner;
import org.vnetd.core.firewall.FirewallRule;
import org.vnetd.core.firewall.NftablesRenderer;
import org.vnetd.core.firewall.ForwardMode;
import org.vnetd.core.firewall.Match;
import org.vnetd.core.firewall.Phase;
import org.vnetd.core.firewall.Verdict;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.testing.NetnsSupport;

/** Real packets through real nftables rules, in namespaces the test creates. */
class NftablesBackendNetnsTest {
    private final FirewallPlanner planner = new FirewallPlanner();

    @BeforeEach
    void requireNamespaces() {
        NetnsSupport.require("nft");
    }

    @Test
    void natGuestReachesUpstreamAsTheHostAndUpstreamCannotReachTheGuest() throws Exception {
        try (FirewallTopology t = new FirewallTopology(1)) {
            new NftablesBackend(t.hostRunner).apply(planner.plan(FirewallTopology.network(0, ForwardMode.NAT)));
            assertEquals(Optional.of(InetAddress.getByName(FirewallTopology.HOST_UPLINK_ADDR)), t.guestToUpstream(0, 8080),
                    "upstream must see the host's address (masquerade)");
            assertEquals(Optional.empty(), t.upstreamToGuest(0, 9090), "upstream must not open connections to a NAT guest");
        }
    }

    @Test
    void routedUpstreamSeesTheGuestsOwnAddress() throws Exception {
        try (FirewallTopology t = new FirewallTopology(1)) {
            new NftablesBackend(t.hostRunner).apply(planner.plan(FirewallTopology.network(0, ForwardMode.ROUTE)));
            assertEquals(Optional.of(InetAddress.getByName(FirewallTopology.guestAddr(0))), t.guestToUpstream(0, 8080));
            assertEquals(Optional.of(InetAddress.getByName(FirewallTopology.UPSTREAM_ADDR)), t.upstreamToGuest(0, 9090),
                    "a routed network accepts connections from outside");
        }
    }

    @Test
    void ipv6IsRoutedInANatNetworkUnlessNatIpv6IsOn() throws Exception {
        try (FirewallTopology t = new FirewallTopology(1)) {
            t.enableIpv6();
            NftablesBackend nft = new NftablesBackend(t.hostRunner);
            nft.apply(planner.plan(FirewallTopology.dualStack(0, false)));
            InetAddress guest6 = InetAddress.getByName(FirewallTopology.guestAddr6(0));
            InetAddress upstream6 = InetAddress.getByName(FirewallTopology.UPSTREAM_ADDR6);
            assertEquals(Optional.of(guest6),
                    t.connect(t.guests.get(0), t.upstream, FirewallTopology.UPSTREAM_ADDR6, 8080), "IPv6 routed");
            assertEquals(Optional.of(upstream6),
                    t.connect(t.upstream, t.guests.get(0), FirewallTopology.guestAddr6(0), 9090), "routed IPv6 accepts inbound");

            nft.apply(planner.plan(FirewallTopology.dualStack(0, true))); // <nat ipv6='yes'/>
            assertEquals(Optional.of(InetAddress.getByName(FirewallTopology.HOST_UPLINK_ADDR6)),
                    t.connect(t.guests.get(0), t.upstream, FirewallTopology.UPSTREAM_ADDR6, 8081), "IPv6 masqueraded");
            assertEquals(Optional.empty(),
                    t.connect(t.upstream, t.guests.get(0), FirewallTopology.guestAddr6(0), 9091), "no inbound with IPv6 NAT");
            assertEquals(Optional.of(InetAddress.getByName(FirewallTopology.HOST_UPLINK_ADDR)), t.guestToUpstream(0, 8082));
        }
    }

    @Test
    void isolatedForwardsNothingButTheHostIsReachable() throws Exception {
        try (FirewallTopology t = new FirewallTopology(1)) {
            // without rules the host forwards (policy accept): the test would be meaningless otherwise
            assertTrue(t.guestToUpstream(0, 8080).isPresent(), "precondition: plain forwarding works");
            new NftablesBackend(t.hostRunner).apply(planner.plan(FirewallTopology.network(0, ForwardMode.ISOLATED)));
            assertEquals(Optional.empty(), t.guestToUpstream(0, 8081));
            assertEquals(Optional.empty(), t.upstreamToGuest(0, 9090));
            assertEquals(Optional.of(InetAddress.getByName(FirewallTopology.guestAddr(0))),
                    t.connect(t.guests.get(0), t.host, "192.168.100.1", 8082), "guest still reaches the host");
        }
    }

    @Test
    void stoppingOneNetworkLeavesTheOtherWorking() throws Exception {
        try (FirewallTopology t = new FirewallTopology(2)) {
            NftablesBackend nft = new NftablesBackend(t.hostRunner);
            FirewallPlan a = planner.plan(FirewallTopology.network(0, ForwardMode.NAT));
            FirewallPlan b = planner.plan(FirewallTopology.network(1, ForwardMode.NAT));
            nft.apply(a);
            nft.apply(b);
            InetAddress hostAddr = InetAddress.getByName(FirewallTopology.HOST_UPLINK_ADDR);
            assertEquals(Optional.of(hostAddr), t.guestToUpstream(1, 8080));
            String before = withoutCounters(t.nft("-a", "list", "chain", "inet", "vnetd", "vn_vbr0_out"));
            nft.remove(b);
            assertEquals(Optional.of(hostAddr), t.guestToUpstream(0, 8081), "network 0 must keep working");
            assertEquals(before, withoutCounters(t.nft("-a", "list", "chain", "inet", "vnetd", "vn_vbr0_out")),
                    "network 0's chain untouched (same rules, same handles)");
            String table = nft.listTable();
            assertFalse(table.contains("vbr1"), "nothing of network 1 may remain:\n" + table);
            // network 1's guest is no longer masqueraded: upstream sees its own address now
            assertEquals(Optional.of(InetAddress.getByName(FirewallTopology.guestAddr(1))), t.guestToUpstream(1, 8082));
        }
    }

    @Test
    void aRunningNetworkChangesModeAndSubnetInOneTransaction() throws Exception {
        try (FirewallTopology t = new FirewallTopology(1)) {
            NftablesBackend nft = new NftablesBackend(t.hostRunner);
            FirewallPlan nat = planner.plan(FirewallTopology.network(0, ForwardMode.NAT));
            nft.apply(nat);
            // same bridge, now routed and with an extra subnet: no NAT chain or element may remain
            FirewallNetwork routed = FirewallTopology.network(0, ForwardMode.ROUTE);
            FirewallPlan route = planner.plan(new FirewallNetwork(routed.name(), routed.bridge(), routed.mode(),
                    routed.forwardDev(), List.of(routed.ips().get(0),
                            new FirewallIp(IpPrefix.parse("192.168.200.1/24"), false, false)),
                    routed.natAddresses(), routed.natPorts(), false, true, false));
            nft.update(List.of(nat), List.of(route));
            String table = nft.listTable();
            assertFalse(table.contains("vn_vbr0_nat"), table);
            assertTrue(table.contains("ip saddr 192.168.200.0/24 iifname \"vbr0\""), table);
            assertEquals(Optional.of(InetAddress.getByName(FirewallTopology.guestAddr(0))), t.guestToUpstream(0, 8080));
        }
    }

    @Test
    void aForeignTableSurvivesEveryOperationUnchanged() throws Exception {
        try (FirewallTopology t = new FirewallTopology(1)) {
            t.host.execWithInput("""
                    table inet foreign {
                        chain fwd_chain {
                            type filter hook forward priority 10; policy accept;
                            ip saddr 203.0.113.0/24 drop
                        }
                        chain post_chain {
                            type nat hook postrouting priority 90;
                            ip daddr 198.51.100.7 masquerade
                        }
                    }
                    table ip filter {
                        chain FORWARD {
                            type filter hook forward priority 0; policy accept;
                            iifname "x9" drop
                        }
                    }
                    """, "nft", "-f", "-").orThrow();
            String foreign = t.nft("-j", "list", "table", "inet", "foreign");
            String filter = t.nft("-j", "list", "table", "ip", "filter");
            NftablesBackend nft = new NftablesBackend(t.hostRunner);
            FirewallPlan p = planner.plan(FirewallTopology.network(0, ForwardMode.NAT));
            List<Runnable> operations = List.of(() -> nft.apply(p), () -> nft.apply(p), () -> nft.reapply(List.of(p)),
                    () -> nft.remove(p), () -> nft.remove(p), nft::clear);
            for (Runnable op : operations) {
                op.run();
                assertEquals(foreign, t.nft("-j", "list", "table", "inet", "foreign"));
                assertEquals(filter, t.nft("-j", "list", "table", "ip", "filter"));
            }
        }
    }

    @Test
    void inPlaceTellsDriftWithoutTouchingARule() {
        try (FirewallTopology t = new FirewallTopology(2)) {
            NftablesBackend nft = new NftablesBackend(t.hostRunner);
            FirewallPlan nat = planner.plan(FirewallTopology.dualStack(0, true));
            FirewallPlan routed = planner.plan(FirewallTopology.network(1, ForwardMode.ROUTE));
            FirewallPlan isolated = planner.plan(FirewallTopology.network(1, ForwardMode.ISOLATED));
            assertFalse(nft.inPlace(nat), "nothing applied yet");
            nft.apply(nat);
            nft.apply(routed);
            String withHandles = withoutCounters(t.nft("-a", "list", "ruleset"));
            assertTrue(nft.inPlace(nat));
            assertTrue(nft.inPlace(routed));
            assertFalse(nft.inPlace(isolated), "another plan for the same bridge is drift");
            assertEquals(withHandles, withoutCounters(t.nft("-a", "list", "ruleset")), "asking changed nothing and left no probe table behind");

            String chain = NftablesRenderer.chainName(nat.bridge(), Phase.NAT);
            t.nft("delete", "rule", "inet", "vnetd", chain, "handle", firstRuleHandle(t.nft("-a", "list", "chain", "inet", "vnetd", chain)));
            assertFalse(nft.inPlace(nat), "a deleted rule");
            assertTrue(nft.inPlace(routed), "the other network is still in place");
            nft.apply(nat);
            assertTrue(nft.inPlace(nat));

            t.nft("delete", "element", "inet", "vnetd", "out_dispatch", "{", "\"" + routed.bridge() + "\"", "}");
            assertFalse(nft.inPlace(routed), "a deleted jump");
            nft.apply(routed);
            t.nft("flush", "chain", "inet", "vnetd", "forward");
            assertFalse(nft.inPlace(routed), "a flushed hook chain");
        }
    }

    private static String firstRuleHandle(String listedWithHandles) {
        var m = java.util.regex.Pattern.compile("(?m)^\\s+(?!chain )\\S.* # handle (\\d+)$").matcher(listedWithHandles);
        assertTrue(m.find(), listedWithHandles);
        return m.group(1);
    }

    @Test
    void applyingTwiceGivesOneCopyOfEachRule() {
        try (FirewallTopology t = new FirewallTopology(1)) {
            NftablesBackend nft = new NftablesBackend(t.hostRunner);
            FirewallPlan p = planner.plan(FirewallTopology.network(0, ForwardMode.NAT));
            nft.apply(p);
            String once = nft.listTable();
            nft.apply(p);
            nft.reapply(List.of(p));
            // counters may move (the bridge sends IGMP), and re-filled chains restart them
            assertEquals(withoutCounters(once), withoutCounters(nft.listTable()));
            assertEquals(p.rules().stream().filter(r -> !r.phase().hostFacing()).count(),
                    once.lines().filter(l -> l.contains("counter packets")).count());
        }
    }

    @Test
    void reapplyRepairsAFlushedRuleset() throws Exception {
        try (FirewallTopology t = new FirewallTopology(1)) {
            NftablesBackend nft = new NftablesBackend(t.hostRunner);
            FirewallPlan p = planner.plan(FirewallTopology.network(0, ForwardMode.NAT));
            nft.apply(p);
            t.nft("flush", "ruleset"); // what `systemctl restart nftables` does
            assertEquals(Optional.of(InetAddress.getByName(FirewallTopology.guestAddr(0))), t.guestToUpstream(0, 8080),
                    "precondition: without our rules the guest is no longer masqueraded");
            nft.reapply(List.of(p));
            assertEquals(Optional.of(InetAddress.getByName(FirewallTopology.HOST_UPLINK_ADDR)), t.guestToUpstream(0, 8081));
        }
    }

    @Test
    void aRejectedRuleLeavesTheRulesetByteIdenticalAndIsNamed() {
        try (FirewallTopology t = new FirewallTopology(2)) {
            NftablesBackend nft = new NftablesBackend(t.hostRunner);
            nft.apply(planner.plan(FirewallTopology.network(0, ForwardMode.NAT)));
            // counters are traffic (the bridge's own IGMP reports hit the nat chain at any time), not
            // ruleset: compare everything else, handles included
            String before = withoutCounters(t.nft("-a", "list", "ruleset"));
            // masquerade is only valid in a nat chain: nft accepts the syntax, the kernel refuses it
            FirewallPlan good = planner.plan(FirewallTopology.network(1, ForwardMode.NAT));
            List<FirewallRule> rules = new ArrayList<>(good.rules());
            rules.add(FirewallRule.of(Family.IPV4, Phase.GUEST_OUT, new Verdict.Masquerade(Optional.empty()),
                    new Match.InInterface("vbr1")));
            FirewallPlan bad = new FirewallPlan("net1", "vbr1", rules);
            VnetException e = assertThrows(VnetException.class, () -> nft.apply(bad));
            assertEquals(ErrorCode.FIREWALL, e.code());
            assertTrue(e.getMessage().contains("add rule inet vnetd vn_vbr1_out meta nfproto ipv4 iifname \"vbr1\" counter masquerade"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("'net1'"), e.getMessage());
            assertEquals(before, withoutCounters(t.nft("-a", "list", "ruleset")));
        }
    }

    /** Traffic changes counters; rules and their handles must not change. */
    private static String withoutCounters(String listing) {
        return listing.replaceAll("counter packets \\d+ bytes \\d+", "counter");
    }
}
