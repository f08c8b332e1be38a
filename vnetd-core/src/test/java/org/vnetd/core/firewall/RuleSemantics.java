package org.vnetd.core.firewall;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reduces nft and iptables rules (libvirt's fixtures and our renderings) to their meaning: the
 * family, the phase (which chain, independent of its name), a sorted set of match atoms and a
 * verdict. Table and chain names, "counter" and iif-versus-iifname are not semantics.
 */
final class RuleSemantics {
    record Key(Family family, Phase phase) {
    }

    /** One rule's meaning, e.g. {@code [dst!=192.168.122.0/24, src=192.168.122.0/24] -> masquerade}. */
    record Meaning(TreeSet<String> matches, String verdict) {
        @Override
        public String toString() {
            return String.join(" ", matches) + " -> " + verdict;
        }
    }

    /** Rules per (family, phase), in evaluation order. */
    static final class Ruleset {
        final Map<Key, List<Meaning>> chains = new LinkedHashMap<>();

        void add(Key key, Meaning m, boolean atHead) {
            List<Meaning> l = chains.computeIfAbsent(key, k -> new ArrayList<>());
            if (atHead) {
                l.add(0, m);
            } else {
                l.add(m);
            }
        }
    }

    private RuleSemantics() {
    }

    /** Splits libvirt's fixture text (one argument per line, " \" continuations) into commands. */
    static List<List<String>> commands(String fixture) {
        List<List<String>> out = new ArrayList<>();
        List<String> cur = null;
        for (String raw : fixture.split("\n")) {
            if (raw.isBlank()) {
                continue;
            }
            boolean cont = raw.endsWith(" \\");
            String line = cont ? raw.substring(0, raw.length() - 2) : raw;
            List<String> words = new ArrayList<>(Arrays.asList(line.trim().split(" ")));
            words.replaceAll(w -> w.replace("'", ""));
            if (cur == null) {
                cur = new ArrayList<>();
            }
            cur.addAll(words);
            if (!cont) {
                out.add(cur);
                cur = null;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- nft

    static Phase libvirtNftPhase(String chain) {
        return switch (chain) {
            case "guest_output" -> Phase.GUEST_OUT;
            case "guest_input" -> Phase.GUEST_IN;
            case "guest_cross" -> Phase.CROSS;
            case "guest_nat" -> Phase.NAT;
            case "postroute_mangle" -> Phase.MANGLE;
            default -> throw new IllegalArgumentException("unknown libvirt nft chain " + chain);
        };
    }

    /** libvirt's {@code nft -ae insert rule ip libvirt_network CHAIN BODY…} commands. */
    static Ruleset libvirtNft(String fixture) {
        Ruleset rs = new Ruleset();
        for (List<String> c : commands(fixture)) {
            int i = c.indexOf("rule");
            if (i < 0) {
                continue;
            }
            Family family = c.get(i + 1).equals("ip") ? Family.IPV4 : Family.IPV6;
            Phase phase = libvirtNftPhase(c.get(i + 3));
            rs.add(new Key(family, phase), nftMeaning(c.subList(i + 4, c.size())), c.contains("insert"));
        }
        return rs;
    }

    /** Our script's {@code add rule inet vnetd vn_BRIDGE_PHASE BODY…} lines. */
    static Ruleset oursNft(String script) {
        Ruleset rs = new Ruleset();
        for (String line : script.split("\n")) {
            List<String> w = List.of(line.trim().split("\\s+"));
            if (w.size() < 5 || !w.get(0).equals("add") || !w.get(1).equals("rule") || !w.get(4).startsWith("vn_")) {
                continue;
            }
            String chain = w.get(4);
            String suffix = chain.substring(chain.lastIndexOf('_') + 1);
            Phase phase = Arrays.stream(Phase.values()).filter(p -> p.nftSuffix().equals(suffix)).findFirst().orElseThrow();
            List<String> body = w.subList(5, w.size()).stream().map(s -> s.replace("\"", "")).toList();
            rs.add(new Key(nftFamily(body), phase), nftMeaning(body), false);
        }
        return rs;
    }

    private static Family nftFamily(List<String> body) {
        for (int i = 0; i < body.size(); i++) {
            String t = body.get(i);
            if (t.equals("nfproto")) {
                return body.get(i + 1).equals("ipv4") ? Family.IPV4 : Family.IPV6;
            }
            if ((t.equals("ip") || t.equals("ip6")) && i + 1 < body.size()
                    && (body.get(i + 1).equals("saddr") || body.get(i + 1).equals("daddr"))) {
                return t.equals("ip") ? Family.IPV4 : Family.IPV6;
            }
        }
        throw new IllegalArgumentException("rule names no family: " + body);
    }

    static Meaning nftMeaning(List<String> t) {
        TreeSet<String> m = new TreeSet<>();
        String verdict = null;
        for (int i = 0; i < t.size(); i++) {
            String w = t.get(i);
            switch (w) {
                case "counter" -> {
                }
                case "iif", "iifname" -> m.add("in=" + t.get(++i));
                case "oif", "oifname" -> m.add("out=" + t.get(++i));
                case "ip", "ip6" -> {
                    String dir = t.get(++i).equals("saddr") ? "src" : "dst";
                    String op = "=";
                    if (t.get(i + 1).equals("!=")) {
                        op = "!=";
                        i++;
                    }
                    m.add(dir + op + t.get(++i));
                }
                case "meta" -> {
                    String what = t.get(++i);
                    String value = t.get(++i);
                    if (what.equals("l4proto")) {
                        m.add("proto=" + value);
                    } else if (!what.equals("nfproto")) {
                        throw new IllegalArgumentException("unknown meta " + what);
                    }
                }
                case "udp", "tcp" -> {
                    if (t.get(i + 1).equals("checksum")) {
                        verdict = "checksum";
                        i += 3;
                    } else {
                        m.add("proto=" + w);
                        m.add("dport=" + t.get(i + 2));
                        i += 2;
                    }
                }
                case "ct" -> {
                    i++;
                    m.add("ct=" + new TreeSet<>(List.of(t.get(++i).toLowerCase().split(","))));
                }
                case "accept", "reject", "return" -> verdict = w;
                case "masquerade" -> {
                    verdict = "masquerade";
                    if (i + 2 < t.size() + 1 && i + 1 < t.size() && t.get(i + 1).equals("to")) {
                        verdict += t.get(i + 2);
                        i += 2;
                    }
                }
                case "snat" -> {
                    if (t.get(i + 1).equals("ip") || t.get(i + 1).equals("ip6")) {
                        i++;
                    }
                    verdict = "snat:" + t.get(i + 2);
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown nft token '" + w + "' in " + t);
            }
        }
        return new Meaning(m, verdict);
    }

    // ---------------------------------------------------------------- iptables

    static Phase iptablesPhase(String table, String chain) {
        String suffix = chain.substring(chain.lastIndexOf('_') + 1);
        return switch (suffix) {
            case "INP" -> Phase.HOST_IN;
            case "OUT" -> Phase.HOST_OUT;
            case "FWO" -> Phase.GUEST_OUT;
            case "FWI" -> Phase.GUEST_IN;
            case "FWX" -> Phase.CROSS;
            case "PRT" -> table.equals("nat") ? Phase.NAT : Phase.MANGLE;
            default -> throw new IllegalArgumentException("unknown chain " + chain);
        };
    }

    /** libvirt's {@code iptables -w --table T --insert CHAIN …} commands (global chain set-up skipped). */
    static Ruleset libvirtIptables(String fixture) {
        return iptables(commands(fixture), "LIBVIRT_");
    }

    /** Our {@code iptables -t T -A VN_BRIDGE_X …} lines (dispatch jumps into VNETD_* skipped). */
    static Ruleset oursIptables(String text) {
        List<List<String>> cmds = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                cmds.add(List.of(line.trim().split("\\s+")));
            }
        }
        return iptables(cmds, "VN_");
    }

    private static Ruleset iptables(List<List<String>> cmds, String chainPrefix) {
        Ruleset rs = new Ruleset();
        for (List<String> c : cmds) {
            Family family = c.get(0).equals("iptables") ? Family.IPV4 : Family.IPV6;
            String table = null;
            String chain = null;
            boolean head = false;
            TreeSet<String> m = new TreeSet<>();
            String verdict = null;
            boolean negate = false;
            for (int i = 1; i < c.size(); i++) {
                String w = c.get(i);
                switch (w) {
                    case "-w" -> {
                    }
                    case "--table", "-t" -> table = c.get(++i);
                    case "--insert", "-I" -> {
                        chain = c.get(++i);
                        head = true;
                    }
                    case "--append", "-A" -> chain = c.get(++i);
                    case "--in-interface", "-i" -> m.add("in=" + c.get(++i));
                    case "--out-interface", "-o" -> m.add("out=" + c.get(++i));
                    case "--source", "-s" -> m.add("src" + (negate ? "!=" : "=") + c.get(++i));
                    case "--destination", "-d" -> m.add("dst" + (negate ? "!=" : "=") + c.get(++i));
                    case "--protocol", "-p" -> m.add("proto=" + c.get(++i));
                    case "--match", "-m" -> i++;
                    case "--destination-port", "--dport" -> m.add("dport=" + c.get(++i));
                    case "--ctstate" -> m.add("ct=" + new TreeSet<>(List.of(c.get(++i).toLowerCase().split(","))));
                    case "--jump", "-j" -> verdict = c.get(++i).toLowerCase();
                    case "--to-ports" -> verdict += ":" + c.get(++i);
                    case "--to-source" -> verdict += ":" + c.get(++i);
                    case "--checksum-fill" -> {
                    }
                    case "!" -> {
                        negate = true;
                        continue;
                    }
                    case "--list-rules", "--new-chain" -> {
                        chain = null;
                        i = c.size();
                    }
                    default -> throw new IllegalArgumentException("unknown iptables token '" + w + "' in " + c);
                }
                negate = false;
            }
            if (chain == null || !chain.startsWith(chainPrefix)) {
                continue;
            }
            verdict = verdict.replace("masquerade:", "masquerade:").replace("checksum", "checksum");
            rs.add(new Key(family, iptablesPhase(table, chain)), new Meaning(m, verdict), head);
        }
        return rs;
    }
}
