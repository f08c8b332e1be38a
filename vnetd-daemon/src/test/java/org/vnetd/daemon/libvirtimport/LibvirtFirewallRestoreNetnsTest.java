package org.vnetd.daemon.libvirtimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.daemon.firewall.CommandRunner;
import org.vnetd.daemon.firewall.ProcessCommandRunner;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * A takeover that fails after libvirt let go puts libvirt's rules back exactly as they were: with the real
 * iptables and nft in a namespace, libvirt 9's iptables rules (two networks) and libvirt 10's nftables table
 * are removed for one network and then restored, and the ruleset listed afterwards is the one listed before,
 * line for line (order within each chain included); likewise when the last network took libvirt's chains or
 * table with it.
 */
class LibvirtFirewallRestoreNetnsTest {
    @Test
    void iptablesRulesComeBackWhereTheyWere() throws Exception {
        NetnsSupport.require("iptables-save", "iptables-restore", "nft");
        try (TestNetns ns = TestNetns.create("lvfwrst")) {
            CommandRunner runner = new ProcessCommandRunner(ns.prefix(), Duration.ofSeconds(30));
            ns.execWithInput(LibvirtFirewallRulesTest.resource("libvirt9-iptables-save.txt"), "iptables-restore").orThrow();
            String before = rules(ns);
            LibvirtFirewallRules rules = new LibvirtFirewallRules(runner);

            LibvirtFirewallRules.Removed removed = rules.remove("virbr0", LibvirtFirewallRulesTest.DEFAULT);
            assertEquals(1 + 13 + 5 + 1, removed.rules()); // nat's chain went with its jump
            assertFalse(rules(ns).contains("virbr0"), rules(ns));
            rules.restore(removed.restore());
            assertEquals(before, rules(ns), "libvirt's rules as they were, in their order");

            // the second network takes libvirt's chains with it, and brings them back
            LibvirtFirewallRules.Removed first = rules.remove("virbr0", LibvirtFirewallRulesTest.DEFAULT);
            String afterFirst = rules(ns);
            LibvirtFirewallRules.Removed last = rules.remove("virbr1", LibvirtFirewallRulesTest.LAB);
            assertFalse(rules(ns).contains("LIBVIRT_"), rules(ns));
            rules.restore(last.restore());
            assertEquals(afterFirst, rules(ns));
            rules.restore(first.restore());
            assertEquals(before, rules(ns));
        }
    }

    @Test
    void nftablesRulesAndTableComeBackWhereTheyWere() throws Exception {
        NetnsSupport.require("nft");
        try (TestNetns ns = TestNetns.create("lvnftrst")) {
            CommandRunner runner = new ProcessCommandRunner(ns.prefix(), Duration.ofSeconds(30));
            // iif/oif name interfaces by index: the bridges are there, as they are at a takeover
            for (String bridge : List.of("virbr0", "virbr1")) {
                ns.execOk("ip", "link", "add", bridge, "type", "bridge");
            }
            // the fixture is libvirt 10's table with nft -a's handle comments: loadable as it is
            ns.execWithInput(LibvirtFirewallRulesTest.resource("libvirt10-nft-list.txt"), "nft", "-f", "-").orThrow();
            String before = table(ns);
            assertTrue(before.contains("virbr0") && before.contains("virbr1"), before);
            LibvirtFirewallRules rules = new LibvirtFirewallRules(runner);

            LibvirtFirewallRules.Removed first = rules.remove("virbr0", LibvirtFirewallRulesTest.DEFAULT);
            assertEquals(10, first.rules());
            String afterFirst = table(ns);
            assertFalse(afterFirst.contains("virbr0"), afterFirst);
            rules.restore(first.restore());
            assertEquals(before, table(ns), "libvirt's rules as they were, in their order");

            first = rules.remove("virbr0", LibvirtFirewallRulesTest.DEFAULT);
            LibvirtFirewallRules.Removed last = rules.remove("virbr1", List.of(IpPrefix.parse("10.55.0.0/24")));
            assertFalse(ns.execOk("nft", "list", "tables").contains("libvirt_network"), "the last network took the table");
            assertEquals(5, last.rules());
            rules.restore(last.restore());
            assertEquals(afterFirst, table(ns));
            // (first's script names the handles of the table the last one took away: a takeover gives back one network only)
        }
    }

    /** iptables-save without its comments and counters. */
    private static String rules(TestNetns ns) {
        return String.join("\n", ns.execOk("iptables-save").lines().filter(l -> !l.startsWith("#"))
                .map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "")).toList());
    }

    /** The table without handles and counters. */
    private static String table(TestNetns ns) {
        return ns.execOk("nft", "list", "table", "ip", LibvirtFirewallRules.NFT_TABLE).replaceAll("counter packets \\d+ bytes \\d+", "counter");
    }
}
