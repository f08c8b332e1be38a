package org.vnetd.daemon.firewall;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.firewall.FirewallBackend;

/** Picks the backend from the daemon config's {@code firewall_backend} ({@code nftables} by default). */
public final class FirewallBackends {
    private static final Logger LOG = LoggerFactory.getLogger(FirewallBackends.class);

    private FirewallBackends() {
    }

    /**
     * {@code nftables} (or null/empty) gives nftables, falling back to iptables with a warning when
     * {@code nft} cannot be run; {@code iptables} gives iptables; anything else is refused.
     */
    public static FirewallBackend choose(String configured, CommandRunner runner) {
        String choice = configured == null || configured.isBlank() ? "nftables" : configured.strip();
        return switch (choice) {
            case "nftables" -> {
                CommandResult probe = runner.run("nft", "--version");
                if (probe.ok()) {
                    // in-process libnftables where nft would run right here; same script, same single transaction
                    yield new NftablesBackend(runner instanceof ProcessCommandRunner p && p.runsHere()
                            ? LibNftablesRunner.orFallback(runner) : runner);
                }
                LOG.warn("firewall_backend = nftables but `nft` cannot be run ({}); falling back to iptables",
                        probe.stderr().isBlank() ? "exit " + probe.exitCode() : probe.stderr().strip());
                yield new IptablesBackend(runner);
            }
            case "iptables" -> new IptablesBackend(runner);
            default -> throw VnetException.of(ErrorCode.INVALID_ARGUMENT,
                    "firewall_backend = '%s' in the daemon config: expected nftables or iptables", choice);
        };
    }
}
