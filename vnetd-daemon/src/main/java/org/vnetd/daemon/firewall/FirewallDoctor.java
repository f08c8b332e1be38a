package org.vnetd.daemon.firewall;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.vnetd.core.firewall.FirewallDiagnosis;
import org.vnetd.core.firewall.FirewallFinding;

/**
 * Gathers what {@code vnetctl doctor} needs to explain firewall trouble (forwarding off, Docker's
 * FORWARD DROP, br_netfilter, foreign tables dropping DHCP/DNS) and lets {@link FirewallDiagnosis}
 * judge it. Reads only; changes nothing.
 */
public final class FirewallDoctor {
    private final CommandRunner runner;
    private final String ourTable;

    public FirewallDoctor(CommandRunner runner, String ourTable) {
        this.runner = runner;
        this.ourTable = ourTable;
    }

    public List<FirewallFinding> diagnose(Set<String> ourBridges) {
        FirewallDiagnosis.Input in = new FirewallDiagnosis.Input(
                sysctl("net.ipv4.ip_forward"),
                sysctl("net.bridge.bridge-nf-call-iptables"),
                output("nft", "-j", "list", "ruleset"),
                ourTable, ourBridges);
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
