package org.vnetd.daemon.libvirtimport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

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

    /**
     * Removes the network's rules; returns how many went and the scripts that put them back as they were
     * ({@link #restore}), by the names {@code iptables}, {@code ip6tables}, {@code nft.ip} and {@code nft.ip6}.
     */
    Removed remove(String bridge, List<IpPrefix> subnets) {
        return remove(bridge, subnets, (tool, script) -> { });
    }

    /**
     * As {@link #remove(String, List)}, telling {@code beforeRemoving} each tool's script that puts its rules back
     * before that tool's removal runs (a caller records it durably first).
     */
    Removed remove(String bridge, List<IpPrefix> subnets, BiConsumer<String, String> beforeRemoving) {
        Map<String, String> restore = new LinkedHashMap<>();
        int n = 0;
        n += iptables("iptables", bridge, v4(subnets), restore, beforeRemoving);
        n += iptables("ip6tables", bridge, v6(subnets), restore, beforeRemoving);
        n += nft("ip", bridge, v4(subnets), restore, beforeRemoving);
        n += nft("ip6", bridge, v6(subnets), restore, beforeRemoving);
        return new Removed(n, restore);
    }

    /**
     * Whether libvirt's rules of the network are there for {@code tool} (a name {@link #remove} gives a restore
     * script): each removal is one transaction, so rules still there mean it did not run.
     */
    boolean present(String tool, String bridge, List<IpPrefix> subnets) {
        if (tool.startsWith("nft.")) {
            String family = tool.substring("nft.".length());
            CommandResult listed = runner.run("nft", "-a", "list", "table", family, NFT_TABLE);
            return listed.ok() && nftChange(listed.stdout(), family, bridge, family.equals("ip") ? v4(subnets) : v6(subnets)).rules() > 0;
        }
        CommandResult saved = runner.run(tool + "-save");
        if (!saved.ok()) {
            throw VnetException.of(ErrorCode.FIREWALL, "%s-save failed (exit %d): %s", tool, saved.exitCode(), saved.stderr().trim());
        }
        return iptablesChange(saved.stdout(), bridge, tool.equals("iptables") ? v4(subnets) : v6(subnets)).rules() > 0;
    }

    private static List<IpPrefix> v4(List<IpPrefix> subnets) {
        return subnets.stream().filter(IpPrefix::isIpv4).toList();
    }

    private static List<IpPrefix> v6(List<IpPrefix> subnets) {
        return subnets.stream().filter(p -> !p.isIpv4()).toList();
    }

    /** What {@link #remove} did: the number of rules removed, and per tool the script putting them back. */
    record Removed(int rules, Map<String, String> restore) {
    }

    /**
     * Puts back what {@link #remove} removed, from its scripts: libvirt's chains, the jumps to them and its
     * rules at the positions they had (iptables), its table or rules (nftables). Each tool's script runs in one
     * transaction; all run even when one fails, and the first failure is thrown.
     */
    void restore(Map<String, String> scripts) {
        VnetException first = null;
        for (Map.Entry<String, String> s : scripts.entrySet()) {
            List<String> argv = s.getKey().startsWith("nft") ? List.of("nft", "-f", "-") : List.of(s.getKey() + "-restore", "--noflush");
            CommandResult r = runner.run(argv, s.getValue());
            if (!r.ok()) {
                VnetException e = VnetException.of(ErrorCode.FIREWALL, "putting libvirt's %s rules back failed (exit %d): %s; the script was:%n%s",
                        s.getKey(), r.exitCode(), r.stderr().trim(), s.getValue());
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            } else {
                LOG.info("put libvirt's {} rules back", s.getKey());
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The removal script of a family, the script that undoes it (both empty: nothing to do), and how many rules it removes. */
    record Change(String removal, String restore, int rules) {
        static final Change NONE = new Change("", "", 0);

        Change plus(Change other) {
            return new Change(removal + other.removal, restore + other.restore, rules + other.rules);
        }
    }

    // ------------------------------------------------------------------ iptables

    private int iptables(String tool, String bridge, List<IpPrefix> subnets, Map<String, String> restore,
            BiConsumer<String, String> beforeRemoving) {
        CommandResult saved = runner.run(tool + "-save");
        if (saved.exitCode() == CommandRunner.NOT_FOUND) {
            return 0;
        }
        if (!saved.ok()) {
            throw VnetException.of(ErrorCode.FIREWALL, "%s-save failed (exit %d): %s", tool, saved.exitCode(), saved.stderr().trim());
        }
        Change change = iptablesChange(saved.stdout(), bridge, subnets);
        String script = change.removal();
        if (script.isEmpty()) {
            return 0;
        }
        beforeRemoving.accept(tool, change.restore());
        CommandResult r = runner.run(List.of(tool + "-restore", "--noflush"), script);
        if (!r.ok()) {
            throw VnetException.of(ErrorCode.FIREWALL, "removing libvirt's %s rules of %s failed (exit %d): %s; the commands were:%n%s",
                    tool, bridge, r.exitCode(), r.stderr().trim(), script);
        }
        restore.put(tool, change.restore());
        int removed = change.rules();
        LOG.info("removed {} of libvirt's {} rules for {}", removed, tool, bridge);
        return removed;
    }

    /** The {@code iptables-restore --noflush} input that removes the network's rules (empty: nothing to do). */
    static String iptablesRemoval(String save, String bridge, List<IpPrefix> subnets) {
        return iptablesChange(save, bridge, subnets).removal();
    }

    /** The removal of the network's rules from {@code save}, and the {@code iptables-restore --noflush} input undoing it. */
    static Change iptablesChange(String save, String bridge, List<IpPrefix> subnets) {
        Change out = Change.NONE;
        String table = null;
        Set<String> libvirtChains = new LinkedHashSet<>();
        List<Rule> rules = new ArrayList<>();
        Map<String, Integer> positions = new HashMap<>();
        for (String line : (save + "\nCOMMIT-END").lines().toList()) {
            if (line.startsWith("*")) {
                table = line.substring(1).trim();
                libvirtChains.clear();
                rules.clear();
                positions.clear();
            } else if (line.startsWith(":") && table != null) {
                String chain = line.substring(1).split("\\s+")[0];
                if (chain.startsWith(CHAIN_PREFIX)) {
                    libvirtChains.add(chain);
                }
            } else if (line.startsWith("-A ") && table != null) {
                String[] t = line.split("\\s+", 3);
                rules.add(new Rule(t[1], t.length > 2 ? t[2] : "", positions.merge(t[1], 1, Integer::sum)));
            } else if (line.equals("COMMIT") && table != null) {
                out = out.plus(tableChange(table, libvirtChains, rules, bridge, subnets));
                table = null;
            }
        }
        return out;
    }

    /** An iptables rule: its chain, its specification, and its 1-based position in the chain. */
    private record Rule(String chain, String spec, int position) {
    }

    private static Change tableChange(String table, Set<String> libvirtChains, List<Rule> rules, String bridge, List<IpPrefix> subnets) {
        if (libvirtChains.isEmpty()) {
            return Change.NONE;
        }
        List<String> lines = new ArrayList<>();
        List<Rule> removed = new ArrayList<>();
        int left = 0;
        for (Rule r : rules) {
            if (!libvirtChains.contains(r.chain())) {
                continue;
            }
            if (names(r.spec().split("\\s+"), bridge, subnets, Set.of("-i", "-o", "--in-interface", "--out-interface"),
                    Set.of("-s", "-d", "--source", "--destination"))) {
                lines.add("-D " + r.chain() + " " + r.spec());
                removed.add(r);
            } else {
                left++;
            }
        }
        // put back in the order they were: each at its old position, lower positions first, recreates each chain's order
        List<String> back = new ArrayList<>();
        if (left == 0) {
            // no network of libvirt's is left in this table: its chains and the jumps to them go too
            List<Rule> jumps = new ArrayList<>();
            for (Rule r : rules) {
                String target = r.spec().startsWith("-j ") ? r.spec().substring(3).trim() : "";
                if (!libvirtChains.contains(r.chain()) && libvirtChains.contains(target)) {
                    lines.add("-D " + r.chain() + " " + r.spec());
                    jumps.add(r);
                }
            }
            for (String c : libvirtChains) {
                lines.add("-F " + c);
                lines.add("-X " + c);
                back.add(":" + c + " - [0:0]");
            }
            removed.forEach(r -> back.add("-A " + r.chain() + " " + r.spec()));
            jumps.forEach(r -> back.add("-I " + r.chain() + " " + r.position() + " " + r.spec()));
        } else {
            removed.forEach(r -> back.add("-I " + r.chain() + " " + r.position() + " " + r.spec()));
        }
        if (lines.isEmpty()) {
            return Change.NONE;
        }
        return new Change("*" + table + "\n" + String.join("\n", lines) + "\nCOMMIT\n",
                "*" + table + "\n" + String.join("\n", back) + "\nCOMMIT\n", (int) lines.stream().filter(l -> l.startsWith("-D ")).count());
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

    private int nft(String family, String bridge, List<IpPrefix> subnets, Map<String, String> restore,
            BiConsumer<String, String> beforeRemoving) {
        CommandResult listed = runner.run("nft", "-a", "list", "table", family, NFT_TABLE);
        if (listed.exitCode() == CommandRunner.NOT_FOUND || !listed.ok()) {
            return 0; // no nft, or libvirt has no such table (older libvirt, or the iptables backend)
        }
        Change change = nftChange(listed.stdout(), family, bridge, subnets);
        String script = change.removal();
        if (script.isEmpty()) {
            return 0;
        }
        beforeRemoving.accept("nft." + family, change.restore());
        CommandResult r = runner.run(List.of("nft", "-f", "-"), script);
        if (!r.ok()) {
            throw VnetException.of(ErrorCode.FIREWALL, "removing libvirt's nftables rules of %s failed (exit %d): %s; the script was:%n%s",
                    bridge, r.exitCode(), r.stderr().trim(), script);
        }
        restore.put("nft." + family, change.restore());
        int removed = change.rules();
        LOG.info("removed {} of libvirt's nftables rules ({} {}) for {}", removed, family, NFT_TABLE, bridge);
        return removed;
    }

    /** The {@code nft -f} script removing the network's rules from {@code nft -a list table} output (empty: nothing to do). */
    static String nftRemoval(String listing, String family, String bridge, List<IpPrefix> subnets) {
        return nftChange(listing, family, bridge, subnets).removal();
    }

    /**
     * The removal of the network's rules from {@code nft -a list table} output, and the {@code nft -f} script
     * undoing it: the table as listed when it goes whole, else each rule inserted before the rule that followed
     * it and stays (or added at its chain's end).
     */
    static Change nftChange(String listing, String family, String bridge, List<IpPrefix> subnets) {
        String chain = null;
        Map<String, String> deletions = new LinkedHashMap<>(); // handle → chain
        List<String[]> pending = new ArrayList<>(); // chain, rule: removed, waiting for the next rule that stays in their chain
        List<String> back = new ArrayList<>();
        String prefix = family + ' ' + NFT_TABLE + ' ';
        int left = 0;
        for (String raw : listing.lines().toList()) {
            String line = raw.trim();
            int hash = line.lastIndexOf("# handle ");
            if (line.startsWith("chain ")) {
                pending.forEach(p -> back.add("add rule " + prefix + p[0] + ' ' + p[1]));
                pending.clear();
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
                pending.add(new String[] {chain, rule});
                continue;
            }
            if (!rule.contains("jump ") && !rule.contains("goto ")) {
                left++;
            }
            for (String[] p : pending) {
                back.add("insert rule " + prefix + p[0] + " position " + handle + ' ' + p[1]);
            }
            pending.clear();
        }
        pending.forEach(p -> back.add("add rule " + prefix + p[0] + ' ' + p[1]));
        StringBuilder sb = new StringBuilder();
        if (left == 0) {
            sb.append("delete table ").append(family).append(' ').append(NFT_TABLE).append('\n');
            return new Change(sb.toString(), listing.endsWith("\n") ? listing : listing + "\n", deletions.size());
        }
        deletions.forEach((handle, c) -> sb.append("delete rule ").append(prefix).append(c).append(" handle ").append(handle).append('\n'));
        return new Change(sb.toString(), back.isEmpty() ? "" : String.join("\n", back) + "\n", deletions.size());
    }
}
