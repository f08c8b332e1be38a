package org.vnetd.daemon.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetd.core.firewall.FirewallPlan;
import org.vnetd.core.firewall.FirewallPlanner;
import org.vnetd.core.firewall.ForwardMode;
import org.vnetd.testing.NetnsSupport;

/** The iptables backend with real packets, in namespaces the test creates. */
class IptablesBackendNetnsTest {
    private final FirewallPlanner planner = new FirewallPlanner();

    @BeforeEach
    void requireNamespaces() {
        NetnsSupport.require("iptables-restore", "iptables-save");
    }

    @Test
    void natMasqueradesAndKeepsUpstreamOut() throws Exception {
        try (FirewallTopology t = new FirewallTopology(1)) {
            new IptablesBackend(t.hostRunner).apply(planner.plan(FirewallTopology.network(0, ForwardMode.NAT)));
            assertEquals(Optional.of(InetAddress.getByName(FirewallTopology.HOST_UPLINK_ADDR)), t.guestToUpstream(0, 8080));
            assertEquals(Optional.empty(), t.upstreamToGuest(0, 9090));
        }
    }

    @Test
    void routedAndIsolated() throws Exception {
        try (FirewallTopology t = new FirewallTopology(2)) {
            IptablesBackend ipt = new IptablesBackend(t.hostRunner);
            ipt.apply(planner.plan(FirewallTopology.network(0, ForwardMode.ROUTE)));
            ipt.apply(planner.plan(FirewallTopology.network(1, ForwardMode.ISOLATED)));
            assertEquals(Optional.of(InetAddress.getByName(FirewallTopology.guestAddr(0))), t.guestToUpstream(0, 8080));
            assertEquals(Optional.of(InetAddress.getByName(FirewallTopology.UPSTREAM_ADDR)), t.upstreamToGuest(0, 9090));
            assertEquals(Optional.empty(), t.guestToUpstream(1, 8081));
        }
    }

    @Test
    void reapplyIsIdempotentAndRemovalExact() throws Exception {
        try (FirewallTopology t = new FirewallTopology(2)) {
            t.host.execOk("iptables", "-A", "FORWARD", "-s", "203.0.113.0/24", "-j", "DROP");
            t.host.execOk("iptables", "-N", "FOREIGN");
            t.host.execOk("iptables", "-A", "FOREIGN", "-d", "198.51.100.7", "-j", "ACCEPT");
            String foreignOnly = save(t);
            IptablesBackend ipt = new IptablesBackend(t.hostRunner);
            FirewallPlan a = planner.plan(FirewallTopology.network(0, ForwardMode.NAT));
            FirewallPlan b = planner.plan(FirewallTopology.network(1, ForwardMode.NAT));
            ipt.apply(a);
            ipt.apply(b);
            String once = save(t);
            ipt.apply(a);
            ipt.reapply(List.of(a, b));
            assertEquals(once, save(t), "re-applying must not duplicate rules");
            assertEquals(1, once.lines().filter(l -> l.equals("-A FORWARD -j VNETD_FWO")).count());

            ipt.remove(b);
            String afterRemove = save(t);
            assertFalse(afterRemove.contains("vbr1"), afterRemove);
            assertTrue(afterRemove.contains("VN_vbr0_FWO"), afterRemove);
            assertEquals(Optional.of(InetAddress.getByName(FirewallTopology.HOST_UPLINK_ADDR)), t.guestToUpstream(0, 8080));
            ipt.remove(b); // idempotent
            assertEquals(afterRemove, save(t));

            ipt.clear();
            assertEquals(foreignOnly, save(t), "clear must leave exactly the foreign rules");
        }
    }

    /**
     * iptables-save without counters and comments, for comparison. Tables with nothing but empty
     * built-in chains at policy ACCEPT are left out: iptables-nft keeps a table once it has been
     * used, which changes no packet's fate.
     */
    private static String save(FirewallTopology t) {
        StringBuilder out = new StringBuilder();
        StringBuilder table = new StringBuilder();
        boolean meaningful = false;
        for (String l : t.host.execOk("iptables-save").lines().toList()) {
            if (l.startsWith("#")) {
                continue;
            }
            String line = l.replaceAll("\\[\\d+:\\d+\\]", "[0:0]");
            table.append(line).append('\n');
            if (line.startsWith("-A") || (line.startsWith(":") && !line.contains(" ACCEPT "))) {
                meaningful = true;
            }
            if (line.equals("COMMIT")) {
                if (meaningful) {
                    out.append(table);
                }
                table.setLength(0);
                meaningful = false;
            }
        }
        return out.toString();
    }
}
