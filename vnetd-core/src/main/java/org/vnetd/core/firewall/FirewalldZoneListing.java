package org.vnetd.core.firewall;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which interfaces firewalld has in which of its zones, from {@code nft list table inet firewalld} (the
 * table firewalld keeps while it runs with its nftables backend; {@code ip}/{@code ip6 firewalld} before
 * firewalld 0.7): its {@code *_ZONES} dispatch chains send an interface's packets to its zone's chains
 * ({@code iifname "virbr0" goto filter_IN_libvirt}). libvirt's firewalld backend puts its bridges in zone
 * {@code libvirt}. Read by the takeover (which leaves such networks to libvirt) and by {@code vnetctl doctor}.
 */
public final class FirewalldZoneListing {
    /** The name of firewalld's table. */
    public static final String TABLE = "firewalld";
    private static final Pattern DISPATCH = Pattern.compile(
            "\\b[io]ifname \"([^\"]+)\" (?:goto|jump) [a-z]+_(?:IN|FWD|FWDI|FWDO|PRE|POST)_([A-Za-z0-9_.-]+)");

    private FirewalldZoneListing() {
    }

    /** Interface → zone: the first zone each interface is dispatched to. */
    public static Map<String, String> parse(String listing) {
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
