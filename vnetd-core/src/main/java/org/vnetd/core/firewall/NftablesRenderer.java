package org.vnetd.core.firewall;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;

/**
 * Renders plans as one nft script for vnetd's own table ({@code table inet vnetd}), to be fed to a
 * single {@code nft -f -} so that each change is one kernel transaction.
 *
 * <p>Layout: four base chains at the standard priorities (forward/filter 0, postrouting/srcnat
 * 100, postrouting/filter 0 for the checksum fix, input/filter 0 for the host guard) whose only rules
 * are verdict-map lookups. Each network has chains of its own ({@code vn_<bridge>_<phase>}) reached
 * through map elements keyed by its bridge name (NAT: by its source subnets; the guard: by its own
 * addresses). Adding or removing a network therefore adds or
 * deletes its chains and map elements and never touches a rule of another network; no rule handles
 * are needed. Every script re-creates the skeleton with idempotent {@code add} commands and
 * re-fills the network chains after {@code flush}, so applying a script twice gives one copy of each
 * rule, and a script repairs a table someone else flushed or deleted.
 *
 * <p>libvirt's host input accepts (DHCP/DNS/TFTP, {@link Phase#HOST_IN}) are not rendered, as in
 * libvirt's nftables backend: an accept in our own table cannot override a drop in another table (each
 * table is evaluated on its own), so they would be no-ops. The "doctor" diagnosis reports foreign
 * tables that drop DHCP/DNS instead. Our table's only input rules are the {@link Phase#HOST_GUARD}
 * drops, reached from an input base chain through maps keyed by the network's own addresses.
 */
public final class NftablesRenderer {
    public static final String DEFAULT_TABLE = "vnetd";
    static final String FORWARD = "forward";
    static final String POSTROUTING = "postrouting";
    static final String MANGLE = "postrouting_mangle";
    static final String INPUT = "input";

    private static final Map<Phase, String> MAPS = Map.of(
            Phase.CROSS, "cross_dispatch",
            Phase.GUEST_IN, "in_dispatch",
            Phase.GUEST_OUT, "out_dispatch",
            Phase.MANGLE, "mangle_dispatch");
    private static final String NAT4 = "nat4_dispatch";
    private static final String NAT6 = "nat6_dispatch";
    private static final String GUARD4 = "guard4_dispatch";
    private static final String GUARD6 = "guard6_dispatch";
    /** The phases an nft script carries, in the order the forward base chain dispatches them. */
    private static final List<Phase> NFT_PHASES = List.of(Phase.CROSS, Phase.GUEST_IN, Phase.GUEST_OUT, Phase.NAT, Phase.MANGLE,
            Phase.HOST_GUARD);

    private final String table;

    public NftablesRenderer() {
        this(DEFAULT_TABLE);
    }

    public NftablesRenderer(String table) {
        this.table = table;
    }

    public String table() {
        return table;
    }

    /** {@code inet vnetd}: what {@code nft list table} takes. */
    public String tableSpec() {
        return "inet " + table;
    }

    public static String chainName(String bridge, Phase phase) {
        return "vn_" + bridge + "_" + phase.nftSuffix();
    }

    /** Adds (or replaces) these networks' rules. */
    public String applyScript(Collection<FirewallPlan> plans) {
        return transaction(List.of(), plans);
    }

    /** Removes exactly these networks' chains and map elements; idempotent. */
    public String removeScript(Collection<FirewallPlan> plans) {
        return transaction(plans, List.of());
    }

    /** Deletes the whole table (e.g. when the last network stops); idempotent. */
    public String deleteTableScript() {
        return "add table " + tableSpec() + "\ndelete table " + tableSpec() + "\n";
    }

    /**
     * One transaction that removes {@code remove} and then adds {@code add}. A network in both is
     * replaced: its chains are re-filled, its map elements re-pointed.
     */
    public String transaction(Collection<FirewallPlan> remove, Collection<FirewallPlan> add) {
        List<String> lines = new ArrayList<>();
        String t = tableSpec();
        lines.add("add table " + t);
        lines.add("add chain " + t + " " + FORWARD + " { type filter hook forward priority filter; policy accept; }");
        lines.add("add chain " + t + " " + POSTROUTING + " { type nat hook postrouting priority srcnat; policy accept; }");
        lines.add("add chain " + t + " " + MANGLE + " { type filter hook postrouting priority filter; policy accept; }");
        lines.add("add chain " + t + " " + INPUT + " { type filter hook input priority filter; policy accept; }");

        Set<String> addChains = new LinkedHashSet<>();
        add.forEach(p -> addChains.addAll(chains(p)));
        Set<String> removeChains = new LinkedHashSet<>();
        remove.forEach(p -> removeChains.addAll(chains(p)));
        removeChains.removeAll(addChains);
        // nft 1.0.6 fails to add an interval-map element that jumps to a chain created later in
        // the same batch than the map, so every chain is declared before the maps
        for (String c : addChains) {
            lines.add("add chain " + t + " " + c);
        }
        for (String c : removeChains) {
            lines.add("add chain " + t + " " + c);
        }
        for (Phase p : List.of(Phase.CROSS, Phase.GUEST_IN, Phase.GUEST_OUT, Phase.MANGLE)) {
            lines.add("add map " + t + " " + MAPS.get(p) + " { type ifname : verdict; }");
        }
        lines.add("add map " + t + " " + NAT4 + " { type ipv4_addr : verdict; flags interval; }");
        lines.add("add map " + t + " " + NAT6 + " { type ipv6_addr : verdict; flags interval; }");
        lines.add("add map " + t + " " + GUARD4 + " { type ipv4_addr : verdict; }");
        lines.add("add map " + t + " " + GUARD6 + " { type ipv6_addr : verdict; }");

        hookRules().forEach((chain, rules) -> {
            lines.add("flush chain " + t + " " + chain);
            rules.forEach(r -> lines.add("add rule " + t + " " + chain + " " + r));
        });

        for (FirewallPlan p : remove) {
            // "add" first makes "delete" succeed whether or not the element is there
            for (String e : elements(p)) {
                lines.add("add element " + t + " " + e);
                lines.add("delete element " + t + " " + withoutVerdict(e));
            }
        }
        for (String c : removeChains) {
            lines.add("flush chain " + t + " " + c);
            lines.add("delete chain " + t + " " + c);
        }
        for (FirewallPlan p : add) {
            // a comment ends at the line's end: keep a hostile name from adding commands
            lines.add("# network " + p.network().replaceAll("[\\p{Cntrl}]", "?"));
            // elements first: the chains are then reachable from their hooks while their rules are
            // added, so the kernel checks each rule as it is added and an error names that rule
            for (String e : elements(p)) {
                lines.add("add element " + t + " " + e);
            }
            for (Phase phase : NFT_PHASES) {
                List<FirewallRule> rules = p.rules(phase);
                if (rules.isEmpty()) {
                    continue;
                }
                String chain = chainName(p.bridge(), phase);
                lines.add("flush chain " + t + " " + chain);
                for (FirewallRule r : rules) {
                    checkDispatchable(p, r);
                    lines.add("add rule " + t + " " + chain + " " + rule(r));
                }
            }
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * A transaction that loads one network's chains and rules into {@code probeTable}, a table with no
     * hooks (so no packet ever meets it), replacing any earlier probe. Listing it shows the rules the
     * way nft prints them, which a restarted daemon compares with what vnetd's own table holds: drift
     * is found without changing a rule, and without a second copy of nft's printing rules here.
     */
    public String probeScript(FirewallPlan p, String probeTable) {
        List<String> lines = new ArrayList<>();
        String t = "inet " + probeTable;
        lines.add("add table " + t);
        lines.add("delete table " + t);
        lines.add("add table " + t);
        for (Phase phase : NFT_PHASES) {
            List<FirewallRule> rules = p.rules(phase);
            if (rules.isEmpty()) {
                continue;
            }
            String chain = chainName(p.bridge(), phase);
            lines.add("add chain " + t + " " + chain);
            for (FirewallRule r : rules) {
                lines.add("add rule " + t + " " + chain + " " + rule(r));
            }
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * The rules of vnetd's hook chains in order, chain → rules: what every transaction writes, and
     * (nft lists them the same way) what a drift check expects to find.
     */
    public SequencedMap<String, List<String>> hookRules() {
        SequencedMap<String, List<String>> hooks = new LinkedHashMap<>();
        hooks.put(FORWARD, List.of("iifname vmap @" + MAPS.get(Phase.CROSS), "oifname vmap @" + MAPS.get(Phase.GUEST_IN),
                "iifname vmap @" + MAPS.get(Phase.GUEST_OUT)));
        hooks.put(POSTROUTING, List.of("ip saddr vmap @" + NAT4, "ip6 saddr vmap @" + NAT6));
        hooks.put(MANGLE, List.of("oifname vmap @" + MAPS.get(Phase.MANGLE)));
        hooks.put(INPUT, List.of("ip daddr vmap @" + GUARD4, "ip6 daddr vmap @" + GUARD6));
        return hooks;
    }

    /** The network's map elements as nft lists them inside {@code elements = { … }}: "KEY : jump CHAIN". */
    public List<String> listedElements(FirewallPlan p) {
        return elements(p).stream().map(e -> e.substring(e.indexOf('{') + 1, e.lastIndexOf('}')).strip()).toList();
    }

    /** The per-network chains a plan needs (only phases that have rules). */
    public List<String> chains(FirewallPlan p) {
        return NFT_PHASES.stream().filter(ph -> !p.rules(ph).isEmpty()).map(ph -> chainName(p.bridge(), ph)).toList();
    }

    /** Map elements, as "MAP { KEY : jump CHAIN }". */
    List<String> elements(FirewallPlan p) {
        List<String> out = new ArrayList<>();
        for (Phase phase : List.of(Phase.CROSS, Phase.GUEST_IN, Phase.GUEST_OUT, Phase.MANGLE)) {
            if (!p.rules(phase).isEmpty()) {
                out.add(MAPS.get(phase) + " { " + quote(p.bridge()) + " : jump " + chainName(p.bridge(), phase) + " }");
            }
        }
        if (!p.rules(Phase.NAT).isEmpty()) {
            String chain = chainName(p.bridge(), Phase.NAT);
            for (IpPrefix s : p.natSubnets(Family.IPV4)) {
                out.add(NAT4 + " { " + s + " : jump " + chain + " }");
            }
            for (IpPrefix s : p.natSubnets(Family.IPV6)) {
                out.add(NAT6 + " { " + s + " : jump " + chain + " }");
            }
        }
        if (!p.rules(Phase.HOST_GUARD).isEmpty()) {
            String chain = chainName(p.bridge(), Phase.HOST_GUARD);
            for (IpPrefix a : p.guardedAddresses(Family.IPV4)) {
                out.add(GUARD4 + " { " + IpAddresses.format(a.address()) + " : jump " + chain + " }");
            }
            for (IpPrefix a : p.guardedAddresses(Family.IPV6)) {
                out.add(GUARD6 + " { " + IpAddresses.format(a.address()) + " : jump " + chain + " }");
            }
        }
        return out;
    }

    /**
     * A chain is only entered for packets of its dispatch key (bridge in or out, NAT source
     * subnet); a rule that does not itself require that key would silently be skipped for other
     * packets, so it is refused. Plans from {@link FirewallPlanner} always pass.
     */
    private static void checkDispatchable(FirewallPlan p, FirewallRule r) {
        boolean ok = switch (r.phase()) {
            case CROSS, GUEST_OUT -> r.matches().contains(new Match.InInterface(p.bridge()));
            case GUEST_IN, MANGLE -> r.matches().contains(new Match.OutInterface(p.bridge()));
            case NAT -> r.matches().stream().anyMatch(m -> m instanceof Match.Source);
            // entered by destination address; a return needs none (it only ends the chain early)
            case HOST_GUARD -> r.verdict() instanceof Verdict.Return || r.matches().stream().anyMatch(m -> m instanceof Match.Destination);
            case HOST_IN, HOST_OUT -> true;
        };
        if (!ok) {
            throw VnetException.of(ErrorCode.INTERNAL, "network '%s': %s rule '%s' does not match on %s, so the %s chain "
                    + "of bridge %s cannot carry it", p.network(), r.phase(), rule(r),
                    switch (r.phase()) {
                        case NAT -> "a source subnet";
                        case HOST_GUARD -> "a destination address";
                        default -> "the bridge";
                    }, r.phase(), p.bridge());
        }
    }

    private static String withoutVerdict(String element) {
        int colon = element.lastIndexOf(" : jump ");
        return element.substring(0, colon) + " }";
    }

    /** The body of one rule, e.g. {@code ip saddr 192.168.122.0/24 iifname "virbr0" counter accept}. */
    public static String rule(FirewallRule r) {
        List<String> parts = new ArrayList<>();
        boolean addressed = r.matches().stream().anyMatch(m -> m instanceof Match.Source || m instanceof Match.Destination);
        if (!addressed) {
            // in an inet table a rule without an address match would apply to both families
            parts.add("meta nfproto " + r.family().nfproto());
        }
        for (Match m : r.matches()) {
            parts.add(switch (m) {
                case Match.InInterface i -> "iifname " + quote(i.name());
                case Match.OutInterface o -> "oifname " + quote(o.name());
                case Match.Source s -> r.family().nftKeyword() + " saddr " + s.subnet();
                case Match.Destination d -> r.family().nftKeyword() + " daddr " + (d.negated() ? "!= " : "") + d.subnet();
                case Match.Protocol p -> "meta l4proto " + p.name();
                case Match.DestinationPort dp -> dp.protocol() + " dport " + dp.port();
                case Match.ConnState c -> "ct state " + String.join(",", new TreeSet<>(c.states()).reversed());
            });
        }
        parts.add("counter");
        parts.add(switch (r.verdict()) {
            case Verdict.Accept a -> "accept";
            case Verdict.Drop d -> "drop";
            case Verdict.Reject rj -> "reject";
            case Verdict.Return rt -> "return";
            case Verdict.Masquerade mq -> "masquerade" + mq.ports().map(pr -> " to :" + pr).orElse("");
            case Verdict.Snat sn -> "snat " + r.family().nftKeyword() + " to " + snatTarget(sn);
            case Verdict.ChecksumFill c -> "udp checksum set 0";
        });
        return String.join(" ", parts);
    }

    private static String snatTarget(Verdict.Snat sn) {
        boolean v6 = sn.start() instanceof Inet6Address;
        boolean ports = sn.ports().isPresent();
        String range = addr(sn.start(), v6 && ports) + sn.end().map(e -> "-" + addr(e, v6 && ports)).orElse("");
        return range + sn.ports().map(p -> ":" + p).orElse("");
    }

    private static String addr(InetAddress a, boolean bracket) {
        String s = IpAddresses.format(a);
        return bracket ? "[" + s + "]" : s;
    }

    static String quote(String ifname) {
        return "\"" + ifname + "\"";
    }

    /** For messages: the networks in a set of plans. */
    static String names(Collection<FirewallPlan> plans) {
        return plans.stream().map(FirewallPlan::network).collect(Collectors.joining(", "));
    }
}
