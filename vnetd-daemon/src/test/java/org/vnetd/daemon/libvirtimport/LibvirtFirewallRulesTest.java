package org.vnetd.daemon.libvirtimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vnetd.core.net.IpPrefix;

/**
 * Which of libvirt's rules a takeover removes: exactly the network's (its bridge or its subnets), and
 * libvirt's chains or table once no network's rule is left. The iptables input is what Debian's libvirt 9.0
 * wrote for a NAT network on virbr0 and a routed one on virbr1.
 */
class LibvirtFirewallRulesTest {
    static final List<IpPrefix> DEFAULT = List.of(IpPrefix.parse("192.168.122.0/24"));
    static final List<IpPrefix> LAB = List.of(IpPrefix.parse("10.55.0.0/24"));

    static String resource(String name) throws IOException {
        try (InputStream in = LibvirtFirewallRulesTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void removesOneNetworksIptablesRulesAndKeepsTheOthers() throws IOException {
        String script = LibvirtFirewallRules.iptablesRemoval(resource("libvirt9-iptables-save.txt"), "virbr0", DEFAULT);
        List<String> deletes = script.lines().filter(l -> l.startsWith("-D LIBVIRT_")).toList();
        assertEquals(1 + 13 + 5, deletes.size(), script); // mangle's checksum rule, filter's 13, nat's 5
        assertTrue(deletes.stream().allMatch(l -> l.contains("virbr0") || l.contains("192.168.122.0/24")), script);
        assertFalse(script.contains("virbr1"), script);
        // lab still has rules in mangle and filter: their chains stay; nat held only default's, so its chain goes
        assertFalse(script.contains("-X LIBVIRT_FWO"), script);
        assertTrue(script.contains("*nat\n") && script.contains("-D POSTROUTING -j LIBVIRT_PRT\n-F LIBVIRT_PRT\n-X LIBVIRT_PRT\nCOMMIT"),
                script);
        assertTrue(script.startsWith("*mangle\n"), script);
    }

    @Test
    void theLastNetworkTakesLibvirtsChainsAndJumpsWithIt() throws IOException {
        String save = resource("libvirt9-iptables-save.txt");
        String afterDefault = applied(save, LibvirtFirewallRules.iptablesRemoval(save, "virbr0", DEFAULT));
        String script = LibvirtFirewallRules.iptablesRemoval(afterDefault, "virbr1", LAB);
        for (String chain : List.of("LIBVIRT_INP", "LIBVIRT_OUT", "LIBVIRT_FWI", "LIBVIRT_FWO", "LIBVIRT_FWX")) {
            assertTrue(script.contains("-X " + chain + "\n"), script);
        }
        assertTrue(script.contains("-D FORWARD -j LIBVIRT_FWX\n") && script.contains("-D INPUT -j LIBVIRT_INP\n"), script);
        assertEquals("", LibvirtFirewallRules.iptablesRemoval(applied(afterDefault, script), "virbr1", LAB), "nothing is left");
    }

    @Test
    void ipv6ChainsWithoutRulesGoAtOnce() throws IOException {
        String script = LibvirtFirewallRules.iptablesRemoval(resource("libvirt9-ip6tables-save.txt"), "virbr0", List.of());
        assertTrue(script.contains("-D FORWARD -j LIBVIRT_FWO\n") && script.contains("-X LIBVIRT_FWI\n"), script);
    }

    @Test
    void otherToolsRulesAreNeverTouched() {
        String save = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:DOCKER-USER - [0:0]\n-A FORWARD -j DOCKER-USER\n"
                + "-A FORWARD -i virbr0 -j ACCEPT\n-A DOCKER-USER -s 192.168.122.0/24 -j RETURN\nCOMMIT\n";
        assertEquals("", LibvirtFirewallRules.iptablesRemoval(save, "virbr0", DEFAULT));
    }

    @Test
    void removesOneNetworksNftablesRulesByHandleAndTheTableWithTheLast() throws IOException {
        String listing = resource("libvirt10-nft-list.txt");
        String script = LibvirtFirewallRules.nftRemoval(listing, "ip", "virbr0", DEFAULT);
        assertEquals(List.of("9", "10", "11", "12", "13", "14", "15", "16", "17", "18"),
                script.lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList(), script);
        assertTrue(script.contains("delete rule ip libvirt_network guest_output handle 9\n"), script);
        String lastOnly = listing.lines().filter(l -> !l.contains("virbr0") && !l.contains("192.168.122."))
                .reduce("", (a, b) -> a + b + "\n");
        assertEquals("delete table ip libvirt_network\n", LibvirtFirewallRules.nftRemoval(lastOnly, "ip", "virbr1", LAB));
    }

    /** The rules {@code save} would hold after {@code script}'s deletions ({@code -D}, {@code -X}). */
    static String applied(String save, String script) {
        List<String> gone = new ArrayList<>();
        script.lines().filter(l -> l.startsWith("-D ")).forEach(l -> gone.add("-A " + l.substring(3)));
        List<String> chains = script.lines().filter(l -> l.startsWith("-X ")).map(l -> ":" + l.substring(3) + " ").toList();
        StringBuilder sb = new StringBuilder();
        for (String l : save.lines().toList()) {
            if (!gone.contains(l) && chains.stream().noneMatch(l::startsWith)) {
                sb.append(l).append('\n');
            }
        }
        return sb.toString();
    }
}
