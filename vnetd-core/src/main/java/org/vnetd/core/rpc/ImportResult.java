package org.vnetd.core.rpc;

import java.util.List;

/**
 * The reply of {@code network.importLibvirt}: for every network libvirt has, what the import did (or,
 * with {@code dryRun}, would do).
 *
 * @param outcome {@code imported}, {@code already-vnetd} or {@code skipped}
 */
public record ImportResult(boolean dryRun, List<Network> networks) {
    public record Network(String name, String uuid, String bridge, String outcome, boolean takenOver, List<String> steps) {
        public Network {
            steps = List.copyOf(steps);
        }
    }

    public ImportResult {
        networks = List.copyOf(networks);
    }
}
