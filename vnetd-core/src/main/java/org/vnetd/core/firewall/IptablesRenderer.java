package org.vnetd.core.firewall;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.vnetd.core.net.IpAddresses;

/**
 * Renders plans as iptables rules in chains of vnetd's own, like libvirt's LIBVIRT_* chains: the
 * global chains {@code VNETD_INP, VNETD_OUT, VNETD_FWO, VNETD_FWI, VNETD_FWX} (filter) and
 * {@code VNETD_PRT} (nat, mangle) are linked once from the built-in chains; each network's rules
 * live in chains of its own ({@code VN_<bridge>_<FWO…>}) reached by one jump from the global
 * chain, so removing a network deletes exactly its jumps and chains.
 */
public final class IptablesRenderer {
    /** A global chain and the built-in chain that jumps to it. */
    public record GlobalChain(String table, String chain, String builtin) {
    }

    /**
     * In link order: each is inserted at position 1 of its built-in chain, so FORWARD ends up
     * evaluating VNETD_FWX, VNETD_FWI, VNETD_FWO (libvirt's order), and INPUT VNETD_GRD before
     * VNETD_INP (a network's guard drops before any network's accepts).
     */
    public static final List<GlobalChain> GLOBAL_CHAINS = List.of(
            new GlobalChain("filter", "VNETD_INP", "INPUT"),
            new GlobalChain("filter", "VNETD_GRD", "INPUT"),
            new GlobalChain("filter", "VNETD_OUT", "OUTPUT"),
            new GlobalChain("filter", "VNETD_FWO", "FORWARD"),
            new GlobalChain("filter", "VNETD_FWI", "FORWARD"),
            new GlobalChain("filter", "VNETD_FWX", "FORWARD"),
            new GlobalChain("nat", "VNETD_PRT", "POSTROUTING"),
            new GlobalChain("mangle", "VNETD_PRT", "POSTROUTING"));

    public static String globalChain(Phase phase) {
        return "VNETD_" + phase.iptablesSuffix();
    }

    public static String chainName(String bridge, Phase phase) {
        return "VN_" + bridge + "_" + phase.iptablesSuffix();
    }

    /** The network's own rules, in evaluation order per chain. */
    public List<IptablesRule> rules(FirewallPlan plan) {
        List<IptablesRule> out = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            for (FirewallRule r : plan.rules(phase)) {
                out.add(new IptablesRule(r.family(), phase.iptablesTable(), chainName(plan.bridge(), phase), args(r)));
            }
        }
        return out;
    }

    /** The jumps from the global chains into the network's chains, one per family and phase used. */
    public List<IptablesRule> dispatch(FirewallPlan plan) {
        List<IptablesRule> out = new ArrayList<>();
        for (Family f : Family.values()) {
            for (Phase phase : Phase.values()) {
                if (plan.rules(phase).stream().anyMatch(r -> r.family() == f)) {
                    out.add(new IptablesRule(f, phase.iptablesTable(), globalChain(phase),
                            List.of("-j", chainName(plan.bridge(), phase))));
                }
            }
        }
        return out;
    }

    /** Text form for golden files and logs: dispatch jumps, then the rules. */
    public String render(FirewallPlan plan) {
        StringBuilder sb = new StringBuilder();
        for (IptablesRule r : dispatch(plan)) {
            sb.append(r.commandLine()).append('\n');
        }
        for (IptablesRule r : rules(plan)) {
            sb.append(r.commandLine()).append('\n');
        }
        return sb.toString();
    }

    /** Arguments in iptables' canonical order (as {@code iptables -S} prints them). */
    static List<String> args(FirewallRule r) {
        List<String> a = new ArrayList<>();
        for (Match m : r.matches()) {
            if (m instanceof Match.Source s) {
                a.addAll(List.of("-s", s.subnet().toString()));
            }
        }
        for (Match m : r.matches()) {
            if (m instanceof Match.Destination d) {
                if (d.negated()) {
                    a.add("!");
                }
                a.addAll(List.of("-d", d.subnet().toString()));
            }
        }
        for (Match m : r.matches()) {
            if (m instanceof Match.InInterface i) {
                a.addAll(List.of("-i", i.name()));
            }
        }
        for (Match m : r.matches()) {
            if (m instanceof Match.OutInterface o) {
                a.addAll(List.of("-o", o.name()));
            }
        }
        for (Match m : r.matches()) {
            if (m instanceof Match.Protocol p) {
                a.addAll(List.of("-p", p.name()));
            } else if (m instanceof Match.DestinationPort dp) {
                a.addAll(List.of("-p", dp.protocol(), "-m", dp.protocol(), "--dport", Integer.toString(dp.port())));
            }
        }
        for (Match m : r.matches()) {
            if (m instanceof Match.ConnState c) {
                List<String> states = new TreeSet<>(c.states()).reversed().stream().map(String::toUpperCase).toList();
                a.addAll(List.of("-m", "conntrack", "--ctstate", String.join(",", states)));
            }
        }
        a.add("-j");
        switch (r.verdict()) {
            case Verdict.Accept x -> a.add("ACCEPT");
            case Verdict.Drop x -> a.add("DROP");
            case Verdict.Reject x -> a.add("REJECT");
            case Verdict.Return x -> a.add("RETURN");
            case Verdict.Masquerade mq -> {
                a.add("MASQUERADE");
                mq.ports().ifPresent(p -> a.addAll(List.of("--to-ports", p.toString())));
            }
            case Verdict.Snat sn -> {
                a.add("SNAT");
                String target = IpAddresses.format(sn.start()) + sn.end().map(e -> "-" + IpAddresses.format(e)).orElse("")
                        + sn.ports().map(p -> ":" + p).orElse("");
                a.addAll(List.of("--to-source", target));
            }
            case Verdict.ChecksumFill x -> a.addAll(List.of("CHECKSUM", "--checksum-fill"));
        }
        return a;
    }
}
