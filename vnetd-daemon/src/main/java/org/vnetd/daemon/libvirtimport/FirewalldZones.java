package org.vnetd.daemon.libvirtimport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vnetd.daemon.firewall.CommandResult;
import org.vnetd.daemon.firewall.CommandRunner;

/**
 * Which interfaces firewalld has in which of its zones, read from the nftables table firewalld keeps while it
 * runs ({@code inet firewalld}; {@code ip}/{@code ip6 firewalld} before firewalld 0.7): its {@code *_ZONES}
 * dispatch chains send an interface's packets to the chains of its zone ({@code iifname "virbr0" goto
 * filter_IN_libvirt}). libvirt's firewalld backend puts its bridges in zone {@code libvirt}. Reading the
 * kernel's tables needs neither D-Bus nor firewall-cmd; firewalld with its iptables backend is not seen.
 */
final class FirewalldZones {
    static final String TABLE = "firewalld";
    private static final Pattern DISPATCH = Pattern.compile(
            "\\b[io]ifname \"([^\"]+)\" (?:goto|jump) [a-z]+_(?:IN|FWD|FWDI|FWDO|PRE|POST)_([A-Za-z0-9_.-]+)");

    private FirewalldZones() {
    }

    /** Interface → zone; empty when firewalld's table is not there (it does not run, or nft is missing). */
    static Map<String, String> read(CommandRunner runner) {
        for (String family : List.of("inet", "ip", "ip6")) {
            CommandResult r = runner.run("nft", "list", "table", family, TABLE);
            if (r.ok()) {
                return parse(r.stdout());
            }
        }
        return Map.of();
    }

    /** Interface → zone from a listing of firewalld's table: the first zone each interface is dispatched to. */
    static Map<String, String> parse(String listing) {
        Map<String, String> zones = new LinkedHashMap<>();
        boolean inDispatch = false;
        for (String raw : listing.lines().toList()) {
            String line = raw.trim();
            if (line.startsWith("chain ")) {
                inDispatch = line.split("\\s+")[1].endsWith("_ZONES");
                continue;
            }
            if (!inDispatch) {
                continue;
            }
            Matcher m = DISPATCH.matcher(line);
            if (m.find()) {
                zones.putIfAbsent(m.group(1), m.group(2));
            }
        }
        return zones;
    }
}
