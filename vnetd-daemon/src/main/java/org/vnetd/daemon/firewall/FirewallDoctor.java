package org.vnetd.daemon.firewall;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.vnetd.core.firewall.FirewallDiagnosis;
import org.vnetd.core.firewall.FirewallFinding;
import org.vnetd.core.firewall.FirewallPlan;
import org.vnetd.core.firewall.NftablesRenderer;

/**
 * Gathers what {@code vnetctl doctor} needs to explain firewall trouble (forwarding off, Docker's
 * FORWARD DROP, br_netfilter, foreign tables dropping DHCP/DNS) and lets {@link FirewallDiagnosis}
 * judge it. Reads only; changes nothing.
 */
public final class FirewallDoctor {
    private final CommandRunner runner;
    private final NftablesRenderer renderer;
    private final boolean nftablesBackend;

    /**
     * @param nftablesBackend whether vnetd's rules are in nftables (then missing chains of running
     *                        networks are reported too)
     */
    public FirewallDoctor(CommandRunner runner, NftablesRenderer renderer, boolean nftablesBackend) {
        this.runner = runner;
        this.renderer = renderer;
        this.nftablesBackend = nftablesBackend;
    }

    /** Findings for the host, given the firewall plans of the running networks. */
    public List<FirewallFinding> diagnose(Collection<FirewallPlan> running) {
        Set<String> bridges = running.stream().map(FirewallPlan::bridge).collect(Collectors.toSet());
        Map<String, List<String>> expected = new LinkedHashMap<>();
        if (nftablesBackend) {
            running.forEach(p -> expected.put(p.network(), renderer.chains(p)));
        }
        FirewallDiagnosis.Input in = new FirewallDiagnosis.Input(
                sysctl("net.ipv4.ip_forward"),
                sysctl("net.bridge.bridge-nf-call-iptables"),
                output("nft", "-j", "list", "ruleset"),
                renderer.table(), bridges, expected);
        return new FirewallDiagnosis().analyze(in);
    }

    private Optional<String> sysctl(String key) {
        return output("sysctl", "-n", key).map(String::strip);
    }

    private Optional<String> output(String... argv) {
        CommandResult r = runner.run(argv);
        return r.ok() ? Optional.of(r.stdout()) : Optional.empty();
    }
}
