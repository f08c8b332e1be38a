package org.vnetd.core.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;

class FirewallPlannerTest {
    private final FirewallPlanner planner = new FirewallPlanner();
    private static final FirewallIp V4 = new FirewallIp(IpPrefix.parse("192.168.122.1/24"), true, false);
    private static final FirewallIp V6 = new FirewallIp(IpPrefix.parse("2001:db8:ca2:2::1/64"), false, false);

    @Test
    void openModeHasNoRules() {
        FirewallPlan p = planner.plan(FirewallNetwork.nat("n", "virbr0", List.of(V4)).withMode(ForwardMode.OPEN));
        assertTrue(p.rules().isEmpty());
        assertEquals(List.of(), new NftablesRenderer().chains(p));
    }

    @Test
    void theForwardPhasesComeFirstAndRulesAreInEvaluationOrder() {
        FirewallPlan p = planner.plan(FirewallNetwork.nat("n", "virbr0", List.of(V4)));
        List<FirewallRule> out = p.rules(Phase.GUEST_OUT);
        assertEquals(new Verdict.Accept(), out.get(0).verdict(), "allow-out before the catch-all reject");
        assertEquals(new Verdict.Reject(), out.get(1).verdict());
        List<FirewallRule> nat = p.rules(Phase.NAT);
        assertEquals(new Verdict.Return(), nat.get(0).verdict(), "multicast exemption first");
        assertEquals(new Verdict.Masquerade(Optional.empty()), nat.getLast().verdict(), "generic masquerade last");
    }

    @Test
    void dnsDisabledOpensNoDnsPort() {
        FirewallNetwork n = new FirewallNetwork("n", "virbr0", ForwardMode.NAT, Optional.empty(), List.of(V4, V6),
                Optional.empty(), Optional.empty(), false, false, false);
        FirewallPlan p = planner.plan(n);
        assertTrue(p.rules().stream().flatMap(r -> r.matches().stream())
                .noneMatch(m -> m instanceof Match.DestinationPort dp && dp.port() == 53));
        assertTrue(p.rules().stream().flatMap(r -> r.matches().stream())
                .anyMatch(m -> m instanceof Match.DestinationPort dp && dp.port() == 67));
    }

    @Test
    void natAddressRangeGivesSnatForItsFamilyOnly() {
        FirewallNetwork n = new FirewallNetwork("n", "virbr0", ForwardMode.NAT, Optional.empty(), List.of(V4, V6),
                Optional.of(new NatAddressRange(IpAddresses.parse("203.0.113.10"), Optional.of(IpAddresses.parse("203.0.113.20")))),
                Optional.of(new PortRange(2000, 3000)), true, true, false);
        FirewallPlan p = planner.plan(n);
        List<FirewallRule> nat4 = p.rules(Phase.NAT).stream().filter(r -> r.family() == Family.IPV4).toList();
        List<FirewallRule> nat6 = p.rules(Phase.NAT).stream().filter(r -> r.family() == Family.IPV6).toList();
        assertTrue(nat4.stream().anyMatch(r -> r.verdict() instanceof Verdict.Snat s && s.ports().isPresent()));
        assertTrue(nat6.stream().noneMatch(r -> r.verdict() instanceof Verdict.Snat));
        String script = new NftablesRenderer().applyScript(List.of(p));
        assertTrue(script.contains("meta l4proto tcp ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 counter snat ip to 203.0.113.10-203.0.113.20:2000-3000"), script);
        assertTrue(script.contains("ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 counter snat ip to 203.0.113.10-203.0.113.20\n"), script);
        assertTrue(script.contains("counter masquerade to :2000-3000"), "IPv6 is masqueraded: " + script);
        String ipt = new IptablesRenderer().render(p);
        assertTrue(ipt.contains("-p tcp -j SNAT --to-source 203.0.113.10-203.0.113.20:2000-3000"), ipt);
    }

    @Test
    void ipv6BetweenGuestsWithoutAnIpv6AddressGetsTheIpv6CatchAll() {
        FirewallNetwork n = new FirewallNetwork("n", "virbr0", ForwardMode.NAT, Optional.empty(), List.of(V4),
                Optional.empty(), Optional.empty(), false, true, true);
        FirewallPlan p = planner.plan(n);
        assertEquals(3, p.rules().stream().filter(r -> r.family() == Family.IPV6).count(), p.rules().toString());
    }

    /** Issue 25: vnetd's services on a network's addresses are not for the host's LAN or other networks' guests. */
    @Test
    void theGuardLetsTheBridgeAndTheHostThroughThenDropsOnlyTheServicesRunHere() {
        FirewallIp tftp = new FirewallIp(IpPrefix.parse("192.168.150.1/24"), false, true);
        FirewallPlan p = planner.plan(FirewallNetwork.nat("n", "virbr0", List.of(V4, tftp, V6)));
        assertEquals(List.of(
                "meta nfproto ipv4 iifname \"virbr0\" counter return",
                "meta nfproto ipv4 iifname \"lo\" counter return",
                "ip daddr 192.168.122.1/32 udp dport 53 counter drop",
                "ip daddr 192.168.122.1/32 tcp dport 53 counter drop",
                "ip daddr 192.168.122.1/32 udp dport 67 counter drop",
                "ip daddr 192.168.150.1/32 udp dport 53 counter drop",
                "ip daddr 192.168.150.1/32 tcp dport 53 counter drop",
                "ip daddr 192.168.150.1/32 udp dport 69 counter drop"), guard(p, Family.IPV4));
        assertEquals(List.of(
                "meta nfproto ipv6 iifname \"virbr0\" counter return",
                "meta nfproto ipv6 iifname \"lo\" counter return",
                "ip6 daddr 2001:db8:ca2:2::1/128 udp dport 53 counter drop",
                "ip6 daddr 2001:db8:ca2:2::1/128 tcp dport 53 counter drop"), guard(p, Family.IPV6));
        // DNS off and no DHCP: nothing of ours to guard; mode='open': the firewall is the user's
        FirewallNetwork quiet = new FirewallNetwork("n", "virbr0", ForwardMode.ROUTE, Optional.empty(), List.of(V6),
                Optional.empty(), Optional.empty(), false, false, false);
        assertEquals(List.of(), planner.plan(quiet).rules(Phase.HOST_GUARD));
        assertEquals(List.of(), planner.plan(FirewallNetwork.nat("n", "virbr0", List.of(V4)).withMode(ForwardMode.OPEN)).rules());
    }

    private static List<String> guard(FirewallPlan p, Family f) {
        return p.rules(Phase.HOST_GUARD).stream().filter(r -> r.family() == f).map(NftablesRenderer::rule).toList();
    }

    @Test
    void routedIpv6InANatNetwork() {
        FirewallPlan p = planner.plan(FirewallNetwork.nat("n", "virbr0", List.of(V4, V6)));
        assertTrue(p.rules(Phase.NAT).stream().allMatch(r -> r.family() == Family.IPV4));
        assertTrue(p.rules(Phase.GUEST_IN).stream().anyMatch(r -> r.family() == Family.IPV6
                && r.verdict() instanceof Verdict.Accept && r.matches().stream().noneMatch(m -> m instanceof Match.ConnState)));
    }

    @Test
    void badInputIsRefusedWithItsName() {
        VnetException e = assertThrows(VnetException.class, () -> new PortRange(1000, 500));
        assertEquals(ErrorCode.XML_VALIDATION, e.code());
        assertTrue(e.getMessage().contains("1000-500"));
        VnetException b = assertThrows(VnetException.class, () -> FirewallNetwork.nat("lab", "br 0", List.of(V4)));
        assertTrue(b.getMessage().contains("'lab'") && b.getMessage().contains("'br 0'"), b.getMessage());
        VnetException m = assertThrows(VnetException.class, () -> ForwardMode.fromLibvirt("hostdev"));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, m.code());
    }
}
