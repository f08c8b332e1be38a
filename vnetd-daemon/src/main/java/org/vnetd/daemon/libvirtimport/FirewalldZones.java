package org.vnetd.daemon.libvirtimport;

import java.util.List;
import java.util.Map;

import org.vnetd.core.firewall.FirewalldZoneListing;
import org.vnetd.daemon.firewall.CommandResult;
import org.vnetd.daemon.firewall.CommandRunner;

/**
 * Which interfaces firewalld has in which of its zones, read from the nftables table firewalld keeps while it
 * runs ({@link FirewalldZoneListing}). Reading the kernel's tables needs neither D-Bus nor firewall-cmd;
 * firewalld with its iptables backend is not seen.
 */
final class FirewalldZones {
    private FirewalldZones() {
    }

    /** Interface → zone; empty when firewalld's table is not there (it does not run, or nft is missing). */
    static Map<String, String> read(CommandRunner runner) {
        for (String family : List.of("inet", "ip", "ip6")) {
            CommandResult r = runner.run("nft", "list", "table", family, FirewalldZoneListing.TABLE);
            if (r.ok()) {
                return FirewalldZoneListing.parse(r.stdout());
            }
        }
        return Map.of();
    }
}
