package org.vnetd.core.firewall;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.vnetd.core.net.IpPrefix;

class NftablesRendererTest {
    private final NftablesRenderer r = new NftablesRenderer();
    private final FirewallPlanner planner = new FirewallPlanner();
    private final FirewallPlan a = planner.plan(FirewallNetwork.nat("a", "vbr0",
            List.of(new FirewallIp(IpPrefix.parse("192.168.100.1/24"), true, false))));
    private final FirewallPlan b = planner.plan(FirewallNetwork.nat("b", "vbr1",
            List.of(new FirewallIp(IpPrefix.parse("192.168.101.1/24"), true, false))));

    @Test
    void removalTouchesOnlyThatNetworksChainsAndElements() {
        String s = r.removeScript(List.of(b));
        assertTrue(s.contains("delete chain inet vnetd vn_vbr1_out"), s);
        assertTrue(s.contains("delete element inet vnetd nat4_dispatch { 192.168.101.0/24 }"), s);
        assertFalse(s.contains("vbr0"), s);
        assertFalse(s.contains("add rule inet vnetd vn_"), s);
        // idempotent: every delete is preceded by an add of the same object
        assertTrue(s.indexOf("add element inet vnetd out_dispatch { \"vbr1\"") < s.indexOf("delete element inet vnetd out_dispatch { \"vbr1\" }"));
    }

    @Test
    void replacingANetworkRefillsItsChainsWithoutDeletingThem() {
        String s = r.transaction(List.of(a), List.of(a));
        assertFalse(s.contains("delete chain"), s);
        assertTrue(s.contains("flush chain inet vnetd vn_vbr0_out"), s);
    }

    @Test
    void anAddedChainIsDeclaredBeforeTheMaps() {
        String s = r.applyScript(List.of(a, b));
        assertTrue(s.indexOf("add chain inet vnetd vn_vbr1_nat") < s.indexOf("add map inet vnetd nat4_dispatch"), s);
        assertTrue(s.indexOf("add element inet vnetd nat4_dispatch { 192.168.101.0/24") < s.indexOf("add rule inet vnetd vn_vbr1_nat"), s);
    }

    @Test
    void aRuleThatItsChainCannotCarryIsRefused() {
        FirewallPlan bad = new FirewallPlan("x", "vbr0", List.of(FirewallRule.of(Family.IPV4, Phase.GUEST_OUT,
                new Verdict.Accept(), new Match.OutInterface("vbr0"))));
        org.vnetd.core.error.VnetException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.vnetd.core.error.VnetException.class, () -> r.applyScript(List.of(bad)));
        assertTrue(e.getMessage().contains("network 'x'"), e.getMessage());
    }
}
