package org.vnetd.daemon.firewall;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The chains of one table as {@code nft list table} prints them: chain name → its rules, each as one
 * line without indentation, handle or packet counts (traffic changes the counts, not the rules).
 * Chain headers ({@code type … hook …; policy …;}) are not rules. Map elements stay in {@link #text}.
 */
record NftListing(Map<String, List<String>> chains, String text) {
    private static final Pattern CHAIN = Pattern.compile("^\\tchain (\\S+) \\{$");
    private static final Pattern COUNTERS = Pattern.compile("counter packets \\d+ bytes \\d+");

    static NftListing parse(String listed) {
        Map<String, List<String>> chains = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : listed.split("\n")) {
            var m = CHAIN.matcher(line);
            if (m.matches()) {
                current = new ArrayList<>();
                chains.put(m.group(1), current);
            } else if (line.equals("\t}")) {
                current = null;
            } else if (current != null && line.startsWith("\t\t")) {
                String rule = COUNTERS.matcher(line.strip()).replaceAll("counter");
                if (!rule.startsWith("type ") && !rule.startsWith("policy ")) {
                    current.add(rule);
                }
            }
        }
        chains.replaceAll((k, v) -> List.copyOf(v));
        return new NftListing(Map.copyOf(chains), listed);
    }
}
