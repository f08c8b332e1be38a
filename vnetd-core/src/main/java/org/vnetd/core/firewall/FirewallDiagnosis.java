package org.vnetd.core.firewall;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Judges observed host state (sysctls, {@code nft -j list ruleset}) for the known traps around
 * virtual networks. Pure: the daemon's FirewallDoctor collects the input.
 */
public final class FirewallDiagnosis {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> SERVICE_PORTS = Set.of(53, 67);

    /**
     * @param ipForward           value of net.ipv4.ip_forward, if readable
     * @param bridgeNfCallIptables value of net.bridge.bridge-nf-call-iptables (absent: br_netfilter not loaded)
     * @param nftRuleset          {@code nft -j list ruleset} output, if nft ran
     * @param ourTable            vnetd's table name (family inet), skipped
     * @param ourBridges          bridges of running networks
     * @param expectedChains      per running network, the chains it must have in our table (empty
     *                            when the iptables backend is in use)
     */
    public record Input(Optional<String> ipForward, Optional<String> bridgeNfCallIptables, Optional<String> nftRuleset,
            String ourTable, Set<String> ourBridges, Map<String, List<String>> expectedChains) {
    }

    public List<FirewallFinding> analyze(Input in) {
        List<FirewallFinding> out = new ArrayList<>();
        if (in.ipForward().filter("0"::equals).isPresent()) {
            out.add(new FirewallFinding("ip_forward", FirewallFinding.Severity.ERROR,
                    "net.ipv4.ip_forward=0: the host forwards no IPv4 packets, so guests on NAT and routed networks cannot reach beyond the host",
                    "sysctl -w net.ipv4.ip_forward=1 (and set it in /etc/sysctl.d to keep it)"));
        }
        if (in.bridgeNfCallIptables().filter("1"::equals).isPresent()) {
            out.add(new FirewallFinding("br_netfilter", FirewallFinding.Severity.WARNING,
                    "br_netfilter is loaded with net.bridge.bridge-nf-call-iptables=1: frames between guests on the same bridge "
                            + "pass through every table's FORWARD chains, where another tool's drop rule or policy stops them",
                    "sysctl -w net.bridge.bridge-nf-call-iptables=0 unless something on this host needs bridged traffic filtered"));
        }
        in.nftRuleset().ifPresent(json -> ruleset(json, in, out));
        return out;
    }

    private static void ruleset(String json, Input in, List<FirewallFinding> out) {
        JsonNode items;
        try {
            items = JSON.readTree(json).path("nftables");
        } catch (Exception e) {
            return; // an unreadable listing is not a finding about the firewall
        }
        Map<String, JsonNode> chains = new HashMap<>();
        Set<String> ourChains = new java.util.HashSet<>();
        for (JsonNode item : items) {
            JsonNode c = item.get("chain");
            if (c != null && ours(c, in)) {
                ourChains.add(c.path("name").asText());
            }
            if (c == null || ours(c, in)) {
                continue;
            }
            chains.put(key(c.path("family").asText(), c.path("table").asText(), c.path("name").asText()), c);
            String where = "table " + c.path("family").asText() + " " + c.path("table").asText() + ", chain " + c.path("name").asText();
            if ("forward".equals(c.path("hook").asText()) && "drop".equals(c.path("policy").asText())) {
                out.add(new FirewallFinding("foreign_forward_drop", FirewallFinding.Severity.ERROR,
                        where + " has policy drop on the forward hook (Docker sets this): guest traffic that vnetd accepts "
                                + "is still dropped there, since every table must accept a packet",
                        "accept the bridges in that table too, e.g. `iptables -I DOCKER-USER -i BRIDGE -j ACCEPT` and "
                                + "`iptables -I DOCKER-USER -o BRIDGE -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`"));
            }
            if ("input".equals(c.path("hook").asText()) && "drop".equals(c.path("policy").asText())) {
                out.add(new FirewallFinding("foreign_input_drop", FirewallFinding.Severity.WARNING,
                        where + " has policy drop on the input hook: guests' DHCP (UDP 67) and DNS (UDP 53) requests to the "
                                + "host are dropped unless that chain accepts them",
                        "accept UDP 67 and 53 from the bridges in that chain (firewalld: add the bridges to the libvirt zone)"));
            }
        }
        in.expectedChains().forEach((network, expected) -> {
            List<String> missing = expected.stream().filter(c -> !ourChains.contains(c)).toList();
            if (!missing.isEmpty()) {
                out.add(new FirewallFinding("vnetd_rules_missing", FirewallFinding.Severity.ERROR,
                        "network '" + network + "' is running but table inet " + in.ourTable() + " lacks its chain(s) "
                                + String.join(", ", missing) + " (another tool flushed or replaced the ruleset?)",
                        "vnetctl firewall-reload re-applies the rules of all running networks"));
            }
        });
        for (JsonNode item : items) {
            JsonNode r = item.get("rule");
            if (r == null || ours(r, in)) {
                continue;
            }
            JsonNode chain = chains.get(key(r.path("family").asText(), r.path("table").asText(), r.path("chain").asText()));
            if (chain == null) {
                continue;
            }
            if ("forward".equals(chain.path("hook").asText())) {
                if (catchAllDrop(r, in.ourBridges())) {
                    out.add(new FirewallFinding("foreign_forward_reject", FirewallFinding.Severity.ERROR,
                            "table " + r.path("family").asText() + " " + r.path("table").asText() + ", chain "
                                    + r.path("chain").asText() + ", rule handle " + r.path("handle").asText()
                                    + " drops or rejects forwarded traffic that guests send or receive (firewalld's "
                                    + "catch-all reject looks like this); vnetd's accept in its own table cannot override it",
                            "accept the bridges before that rule in that table (firewalld: put the bridges in the libvirt zone)"));
                }
                continue;
            }
            if (!"input".equals(chain.path("hook").asText())) {
                continue;
            }
            dropsServices(r, in.ourBridges()).ifPresent(port -> out.add(new FirewallFinding("foreign_service_drop",
                    FirewallFinding.Severity.ERROR,
                    "table " + r.path("family").asText() + " " + r.path("table").asText() + ", chain " + r.path("chain").asText()
                            + ", rule handle " + r.path("handle").asText() + " drops UDP port " + port + " ("
                            + (port == 67 ? "DHCP" : "DNS") + ") that guests send to the host",
                    "exempt the bridges before that rule, e.g. `nft insert rule ... iifname BRIDGE udp dport { 53, 67 } accept`")));
        }
    }

    /** A port of ours the rule drops or rejects, if its matches can apply to our bridges. */
    private static Optional<Integer> dropsServices(JsonNode rule, Set<String> bridges) {
        boolean drops = false;
        List<Integer> ports = new ArrayList<>();
        boolean otherInterface = false;
        for (JsonNode e : rule.path("expr")) {
            if (e.has("drop") || e.has("reject")) {
                drops = true;
            }
            JsonNode m = e.get("match");
            if (m == null) {
                continue;
            }
            JsonNode left = m.path("left");
            String op = m.path("op").asText();
            if (left.has("payload") && "dport".equals(left.path("payload").path("field").asText())
                    && Set.of("udp", "th").contains(left.path("payload").path("protocol").asText()) && op.equals("==")) {
                collectPorts(m.path("right"), ports);
            }
            if (left.has("meta") && Set.of("iifname", "iif").contains(left.path("meta").path("key").asText())) {
                String name = m.path("right").asText();
                boolean names = bridges.contains(name);
                otherInterface |= op.equals("!=") ? names : !names;
            }
        }
        if (!drops || otherInterface) {
            return Optional.empty();
        }
        return ports.stream().filter(SERVICE_PORTS::contains).findFirst();
    }

    /**
     * A drop/reject that applies to all forwarded packets, or to those of our bridges: its only
     * conditions (if any) are iifname/oifname equal to one of our bridges. A rule with any other
     * condition ("ct state invalid drop", a port, an address) is someone's deliberate policy.
     */
    private static boolean catchAllDrop(JsonNode rule, Set<String> bridges) {
        boolean drops = false;
        for (JsonNode e : rule.path("expr")) {
            if (e.has("drop") || e.has("reject")) {
                drops = true;
            } else if (e.has("match")) {
                JsonNode m = e.get("match");
                JsonNode meta = m.path("left").path("meta");
                boolean ourIf = Set.of("iifname", "oifname").contains(meta.path("key").asText())
                        && "==".equals(m.path("op").asText()) && bridges.contains(m.path("right").asText());
                if (!ourIf) {
                    return false;
                }
            } else if (!e.has("counter") && !e.has("log")) {
                return false;
            }
        }
        return drops;
    }

    private static void collectPorts(JsonNode right, List<Integer> ports) {
        if (right.isInt()) {
            ports.add(right.asInt());
        } else if (right.has("set")) {
            for (JsonNode v : right.path("set")) {
                if (v.isInt()) {
                    ports.add(v.asInt());
                } else if (v.has("range") && v.path("range").size() == 2) {
                    int lo = v.path("range").get(0).asInt();
                    int hi = v.path("range").get(1).asInt();
                    SERVICE_PORTS.stream().filter(p -> p >= lo && p <= hi).forEach(ports::add);
                }
            }
        } else if (right.has("range") && right.path("range").size() == 2) {
            int lo = right.path("range").get(0).asInt();
            int hi = right.path("range").get(1).asInt();
            SERVICE_PORTS.stream().filter(p -> p >= lo && p <= hi).forEach(ports::add);
        }
    }

    private static boolean ours(JsonNode n, Input in) {
        return "inet".equals(n.path("family").asText()) && in.ourTable().equals(n.path("table").asText());
    }

    private static String key(String family, String table, String chain) {
        return family + " " + table + " " + chain;
    }
}
