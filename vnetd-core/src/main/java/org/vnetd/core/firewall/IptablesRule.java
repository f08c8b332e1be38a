package org.vnetd.core.firewall;

import java.util.List;
import java.util.Objects;

/**
 * One iptables rule: family (iptables or ip6tables), table, chain and the rule's arguments after
 * the chain name, e.g. {@code [-s, 192.168.122.0/24, -i, virbr0, -j, ACCEPT]}.
 */
public record IptablesRule(Family family, String table, String chain, List<String> args) {
    public IptablesRule {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(chain, "chain");
        args = List.copyOf(args);
    }

    /** {@code -A CHAIN ARGS}: a line of an iptables-restore table section. */
    public String restoreLine() {
        return "-A " + chain + " " + String.join(" ", args);
    }

    /** {@code iptables -t TABLE -A CHAIN ARGS}: how a user would type it. */
    public String commandLine() {
        return family.iptablesCommand() + " -t " + table + " " + restoreLine();
    }
}
