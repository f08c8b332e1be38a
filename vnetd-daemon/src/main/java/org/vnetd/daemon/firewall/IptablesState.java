package org.vnetd.daemon.firewall;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The chains and rules of one family as {@code iptables-save} prints them, per table. */
final class IptablesState {
    private final Map<String, Set<String>> chains = new HashMap<>();
    private final Map<String, Set<String>> rules = new HashMap<>();

    static IptablesState parse(String save) {
        IptablesState s = new IptablesState();
        String table = null;
        for (String line : save.split("\n")) {
            if (line.startsWith("*")) {
                table = line.substring(1).trim();
            } else if (table != null && line.startsWith(":")) {
                s.chains.computeIfAbsent(table, t -> new HashSet<>()).add(line.substring(1).split(" ")[0]);
            } else if (table != null && line.startsWith("-A ")) {
                s.rules.computeIfAbsent(table, t -> new HashSet<>()).add(line.trim());
            }
        }
        return s;
    }

    boolean hasChain(String table, String chain) {
        return chains.getOrDefault(table, Set.of()).contains(chain);
    }

    /** {@code line} as iptables-save prints it, e.g. {@code -A FORWARD -j VNETD_FWO}. */
    boolean hasRule(String table, String line) {
        return rules.getOrDefault(table, Set.of()).contains(line);
    }

    Set<String> chains(String table) {
        return chains.getOrDefault(table, Set.of());
    }

    Set<String> rules(String table) {
        return rules.getOrDefault(table, Set.of());
    }
}
