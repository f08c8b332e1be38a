package org.vnetd.daemon.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class NftListingTest {
    @Test
    void chainsHoldTheirRulesWithoutHeadersHandlesOrCounts() {
        NftListing l = NftListing.parse("""
                table inet vnetd {
                \tmap out_dispatch {
                \t\ttype ifname : verdict
                \t\telements = { "virbr0" : jump vn_virbr0_out }
                \t}

                \tchain forward {
                \t\ttype filter hook forward priority filter; policy accept;
                \t\tiifname vmap @cross_dispatch
                \t}

                \tchain vn_virbr0_out {
                \t\tip saddr 192.168.122.0/24 iifname "virbr0" counter packets 12 bytes 3400 accept
                \t\tmeta nfproto ipv4 iifname "virbr0" counter packets 0 bytes 0 reject with icmp port-unreachable
                \t}
                }
                """);
        assertEquals(List.of("iifname vmap @cross_dispatch"), l.chains().get("forward"));
        assertEquals(List.of("ip saddr 192.168.122.0/24 iifname \"virbr0\" counter accept",
                "meta nfproto ipv4 iifname \"virbr0\" counter reject with icmp port-unreachable"), l.chains().get("vn_virbr0_out"));
        assertEquals(2, l.chains().size(), "a map is not a chain");
    }
}
