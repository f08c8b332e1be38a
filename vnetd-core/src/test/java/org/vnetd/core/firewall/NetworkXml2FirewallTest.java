package org.vnetd.core.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * libvirt's networkxml2firewalltest, by meaning: for every fixture network, each of libvirt's rules
 * (nft and iptables) must have one rule of ours with the same family, phase, matches and verdict,
 * in the same order of evaluation, and we may have no rule libvirt lacks, except vnetd's own
 * {@link Phase#HOST_GUARD} drops (libvirt leaves that to dnsmasq's interface binding). Names of
 * tables and chains do not matter; the order of the phases does and is checked against base.*.
 */
class NetworkXml2FirewallTest {
    private final FirewallPlanner planner = new FirewallPlanner();

    @Test
    void everyFixtureHasLibvirtsRulesAndNoOthers() throws IOException {
        List<String> failures = new ArrayList<>();
        int passed = 0;
        for (String name : FixtureNetworks.names()) {
            FirewallPlan ours = planner.plan(FixtureNetworks.load(name));
            FirewallPlan plan = new FirewallPlan(ours.network(), ours.bridge(),
                    ours.rules().stream().filter(r -> r.phase() != Phase.HOST_GUARD).toList());
            String libvirtNft = Files.readString(FixtureNetworks.DIR.resolve(name + "-linux.nftables"));
            String libvirtIpt = Files.readString(FixtureNetworks.DIR.resolve(name + "-linux.iptables"));
            List<String> nft = compare(RuleSemantics.libvirtNft(libvirtNft),
                    RuleSemantics.oursNft(new NftablesRenderer().applyScript(List.of(plan))), true);
            List<String> ipt = compare(RuleSemantics.libvirtIptables(libvirtIpt),
                    RuleSemantics.oursIptables(new IptablesRenderer().render(plan)), false);
            passed += record(failures, name + " (nftables)", nft);
            passed += record(failures, name + " (iptables)", ipt);
        }
        System.out.println("networkxml2firewall: " + passed + " passed, " + failures.size() + " failed");
        failures.forEach(System.out::println);
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    /** libvirt's base chains: FORWARD evaluates cross, then input, then output; so must we. */
    @Test
    void phaseOrderMatchesLibvirtsBaseChains() throws IOException {
        List<Phase> libvirtNft = new ArrayList<>();
        for (List<String> c : RuleSemantics.commands(Files.readString(FixtureNetworks.DIR.resolve("base.nftables")))) {
            if (c.contains("jump") && c.get(3).equals("ip")) {
                libvirtNft.add(0, RuleSemantics.libvirtNftPhase(c.getLast()));
            }
        }
        List<Phase> ours = new ArrayList<>();
        for (String line : new NftablesRenderer().applyScript(List.of()).split("\n")) {
            if (line.startsWith("add rule inet vnetd forward")) {
                String map = line.substring(line.indexOf('@') + 1);
                ours.add(switch (map) {
                    case "cross_dispatch" -> Phase.CROSS;
                    case "in_dispatch" -> Phase.GUEST_IN;
                    case "out_dispatch" -> Phase.GUEST_OUT;
                    default -> throw new AssertionError(map);
                });
            }
        }
        assertEquals(libvirtNft, ours);

        List<String> libvirtIpt = new ArrayList<>();
        for (List<String> c : RuleSemantics.commands(Files.readString(FixtureNetworks.DIR.resolve("base.iptables")))) {
            if (c.get(0).equals("iptables") && c.contains("FORWARD")) {
                libvirtIpt.add(0, c.getLast().replace("LIBVIRT_", ""));
            }
        }
        List<String> oursIpt = new ArrayList<>();
        for (IptablesRenderer.GlobalChain g : IptablesRenderer.GLOBAL_CHAINS) {
            if (g.builtin().equals("FORWARD")) {
                oursIpt.add(0, g.chain().replace("VNETD_", ""));
            }
        }
        assertEquals(libvirtIpt, oursIpt);
    }

    private static int record(List<String> failures, String what, List<String> problems) {
        if (problems.isEmpty()) {
            return 1;
        }
        failures.add(what + ":\n  " + String.join("\n  ", problems));
        return 0;
    }

    static List<String> compare(RuleSemantics.Ruleset libvirt, RuleSemantics.Ruleset ours, boolean nft) {
        List<String> problems = new ArrayList<>();
        Set<RuleSemantics.Key> keys = new LinkedHashSet<>(libvirt.chains.keySet());
        keys.addAll(ours.chains.keySet());
        for (RuleSemantics.Key k : keys) {
            if (nft && k.phase().hostFacing()) {
                continue; // not rendered for nft, as in libvirt (see NftablesRenderer)
            }
            List<RuleSemantics.Meaning> want = libvirt.chains.getOrDefault(k, List.of());
            List<RuleSemantics.Meaning> have = ours.chains.getOrDefault(k, List.of());
            List<RuleSemantics.Meaning> extra = new ArrayList<>(have);
            for (RuleSemantics.Meaning m : want) {
                if (!extra.remove(m)) {
                    problems.add("missing " + k.family() + " " + k.phase() + ": " + m);
                }
            }
            for (RuleSemantics.Meaning m : extra) {
                problems.add("extra " + k.family() + " " + k.phase() + ": " + m);
            }
            if (problems.isEmpty() && !want.equals(have)) {
                problems.add("order differs in " + k.family() + " " + k.phase() + ": libvirt " + want + " vs ours " + have);
            }
        }
        return problems;
    }
}
