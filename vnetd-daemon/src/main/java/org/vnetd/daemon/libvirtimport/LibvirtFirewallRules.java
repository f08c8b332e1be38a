package org.vnetd.daemon.libvirtimport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.daemon.firewall.CommandResult;
import org.vnetd.daemon.firewall.CommandRunner;

/**
 * Removes libvirt's firewall rules of one network: the rules of its iptables chains {@code LIBVIRT_*}
 * (libvirt up to 10.3, and later with {@code firewall_backend = "iptables"}) and of its nftables tables
 * {@code ip/ip6 libvirt_network} (libvirt 10.4 and later) that name the network's bridge or one of its
 * subnets. Once no network's rule is left, libvirt's chains (and the jumps to them) or tables go too.
 * Other tools' rules are never touched. Each family is changed in one transaction
 * ({@code iptables-restore --noflush}, {@code nft -f -}).
 */
final class LibvirtFirewallRules {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtFirewallRules.class);
    static final String CHAIN_PREFIX = "LIBVIRT_";
    static final String NFT_TABLE = "libvirt_network";

    private final CommandRunner runner;

    LibvirtFirewallRules(CommandRunner runner) {
        this.runner = runner;
    }

    /** Returns how many rules went. */
    int remove(String bridge, List<IpPrefix> subnets) {
        int n = 0;
        n += iptables("iptables", bridge, subnets.stream().filter(IpPrefix::isIpv4).toList());
        n += iptables("ip6tables", bridge, subnets.stream().filter(p -> !p.isIpv4()).toList());
        n += nft("ip", bridge, subnets.stream().filter(IpPrefix::isIpv4).toList());
        n += nft("ip6", bridge, subnets.stream().filter(p -> !p.isIpv4()).toList());
        return n;
    }

    // ------------------------------------------------------------------ iptables

    private int iptables(String tool, String bridge, List<IpPrefix> subnets) {
        CommandResult saved = runner.run(tool + "-save");
        if (saved.exitCode() == CommandRunner.NOT_FOUND) {
            return 0;
        }
        if (!saved.ok()) {
            throw VnetException.of(ErrorCode.FIREWALL, "%s-save failed (exit %d): %s", tool, saved.exitCode(), saved.stderr().trim());
        }
        String script = iptablesRemoval(saved.stdout(), bridge, subnets);
        if (script.isEmpty()) {
            return 0;
        }
        CommandResult r = runner.run(List.of(tool + "-restore", "--noflush"), script);
        if (!r.ok()) {
            throw VnetException.of(ErrorCode.FIREWALL, "removing libvirt's %s rules of %s failed (exit %d): %s; the commands were:%n%s",
                    tool, bridge, r.exitCode(), r.stderr().trim(), script);
        }
        int removed = (int) script.lines().filter(l -> l.startsWith("-D ")).count();
        LOG.info("removed {} of libvirt's {} rules for {}", removed, tool, bridge);
        return removed;
    }

    /** The {@code iptables-restore --noflush} input that removes the network's rules (empty: nothing to do). */
    static String iptablesRemoval(String save, String bridge, List<IpPrefix> subnets) {
        StringBuilder out = new StringBuilder();
        String table = null;
        Set<String> libvirtChains = new LinkedHashSet<>();
        List<String[]> rules = new ArrayList<>(); // chain, spec
        for (String line : (save + "\nCOMMIT-END").lines().toList()) {
            if (line.startsWith("*")) {
                table = line.substring(1).trim();
                libvirtChains.clear();
                rules.clear();
            } else if (line.startsWith(":") && table != null) {
                String chain = line.substring(1).split("\\s+")[0];
                if (chain.startsWith(CHAIN_PREFIX)) {
                    libvirtChains.add(chain);
                }
            } else if (line.startsWith("-A ") && table != null) {
                String[] t = line.split("\\s+", 3);
                rules.add(new String[] {t[1], t.length > 2 ? t[2] : ""});
            } else if (line.equals("COMMIT") && table != null) {
                out.append(tableRemoval(table, libvirtChains, rules, bridge, subnets));
                table = null;
            }
        }
        return out.toString();
    }

    private static String tableRemoval(String table, Set<String> libvirtChains, List<String[]> rules, String bridge, List<IpPrefix> subnets) {
        if (libvirtChains.isEmpty()) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        int left = 0;
        for (String[] r : rules) {
            if (!libvirtChains.contains(r[0])) {
                continue;
            }
            if (names(r[1].split("\\s+"), bridge, subnets, Set.of("-i", "-o", "--in-interface", "--out-interface"),
                    Set.of("-s", "-d", "--source", "--destination"))) {
                lines.add("-D " + r[0] + " " + r[1]);
            } else {
                left++;
            }
        }
        if (left == 0) {
            // no network of libvirt's is left in this table: its chains and the jumps to them go too
            for (String[] r : rules) {
                String target = r[1].startsWith("-j ") ? r[1].substring(3).trim() : "";
                if (!libvirtChains.contains(r[0]) && libvirtChains.contains(target)) {
                    lines.add("-D " + r[0] + " " + r[1]);
                }
            }
            for (String c : libvirtChains) {
                lines.add("-F " + c);
                lines.add("-X " + c);
            }
        }
        if (lines.isEmpty()) {
            return "";
        }
        return "*" + table + "\n" + String.join("\n", lines) + "\nCOMMIT\n";
    }

    /** Whether the tokens name {@code bridge} after an interface option, or one of {@code subnets} after an address option. */
    private static boolean names(String[] tokens, String bridge, List<IpPrefix> subnets, Set<String> ifOptions, Set<String> addrOptions) {
        for (int i = 0; i + 1 < tokens.length; i++) {
            String value = tokens[i + 1].replace("\"", "");
            if (ifOptions.contains(tokens[i]) && value.equals(bridge)) {
                return true;
            }
            if (addrOptions.contains(tokens[i]) && isOneOf(value, subnets)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOneOf(String value, List<IpPrefix> subnets) {
        try {
            IpPrefix p = value.contains("/") ? IpPrefix.parse(value) : null;
            return p != null && subnets.stream().anyMatch(s -> s.networkPrefix().equals(p.networkPrefix()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ nftables

    private int nft(String family, String bridge, List<IpPrefix> subnets) {
        CommandResult listed = runner.run("nft", "-a", "list", "table", family, NFT_TABLE);
        if (listed.exitCode() == CommandRunner.NOT_FOUND || !listed.ok()) {
            return 0; // no nft, or libvirt has no such table (older libvirt, or the iptables backend)
        }
        String script = nftRemoval(listed.stdout(), family, bridge, subnets);
        if (script.isEmpty()) {
            return 0;
        }
        CommandResult r = runner.run(List.of("nft", "-f", "-"), script);
        if (!r.ok()) {
            throw VnetException.of(ErrorCode.FIREWALL, "removing libvirt's nftables rules of %s failed (exit %d): %s; the script was:%n%s",
                    bridge, r.exitCode(), r.stderr().trim(), script);
        }
        int removed = (int) script.lines().filter(l -> l.startsWith("delete rule")).count();
        LOG.info("removed {} of libvirt's nftables rules ({} {}) for {}", removed, family, NFT_TABLE, bridge);
        return removed;
    }

    /** The {@code nft -f} script removing the network's rules from {@code nft -a list table} output (empty: nothing to do). */
    static String nftRemoval(String listing, String family, String bridge, List<IpPrefix> subnets) {
        String chain = null;
        Map<String, String> deletions = new LinkedHashMap<>(); // handle → chain
        int left = 0;
        for (String raw : listing.lines().toList()) {
            String line = raw.trim();
            int hash = line.lastIndexOf("# handle ");
            if (line.startsWith("chain ")) {
                chain = line.split("\\s+")[1];
                continue;
            }
            if (chain == null || hash < 0 || line.startsWith("table ") || line.startsWith("type ")) {
                continue;
            }
            String rule = line.substring(0, hash).trim();
            String handle = line.substring(hash + "# handle ".length()).trim();
            if (names(rule.split("\\s+"), bridge, subnets, Set.of("iif", "oif", "iifname", "oifname"), Set.of("saddr", "daddr"))) {
                deletions.put(handle, chain);
            } else if (!rule.contains("jump ") && !rule.contains("goto ")) {
                left++;
            }
        }
        StringBuilder sb = new StringBuilder();
        if (left == 0) {
            sb.append("delete table ").append(family).append(' ').append(NFT_TABLE).append('\n');
        } else {
            deletions.forEach((handle, c) -> sb.append("delete rule ").append(family).append(' ').append(NFT_TABLE).append(' ')
                    .append(c).append(" handle ").append(handle).append('\n'));
        }
        return sb.toString();
    }
}
