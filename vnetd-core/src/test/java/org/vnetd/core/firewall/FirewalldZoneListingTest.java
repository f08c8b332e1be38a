package org.vnetd.core.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** An interface's firewalld zone is where firewalld's {@code *_ZONES} chains dispatch it, and nowhere else. */
class FirewalldZoneListingTest {
    @Test
    void onlyTheDispatchChainsCount() {
        String listing = """
                table inet firewalld {
                	chain filter_IN_public {
                		iifname "virbr9" goto filter_IN_trusted
                	}
                	chain filter_FORWARD_ZONES {
                		oifname "virbr1" goto filter_FWD_libvirt-routed
                		iifname "virbr0" goto filter_FWD_libvirt
                		iifname "virbr0" goto filter_FWD_public
                		goto filter_FWD_public
                	}
                }
                """;
        assertEquals(Map.of("virbr1", "libvirt-routed", "virbr0", "libvirt"), FirewalldZoneListing.parse(listing));
    }
}
