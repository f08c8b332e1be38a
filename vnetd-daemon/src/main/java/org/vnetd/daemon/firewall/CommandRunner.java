package org.vnetd.daemon.firewall;

import java.util.List;

/**
 * Runs one external command (nft, iptables-restore, sysctl) to completion. Injected into the
 * backends so tests can run the same code inside a network namespace (an {@code ip netns exec}
 * prefix, or a runner called from a thread inside the namespace) and benchmarks can count execs.
 */
@FunctionalInterface
public interface CommandRunner {
    /** Exit code used when the program could not be started at all (as a shell reports it). */
    int NOT_FOUND = 127;

    /**
     * Runs {@code argv} with {@code stdin} (may be null) and returns its result; never throws for a
     * non-zero exit. A program that cannot be started gives exit {@link #NOT_FOUND}.
     */
    CommandResult run(List<String> argv, String stdin);

    default CommandResult run(String... argv) {
        return run(List.of(argv), null);
    }
}
