package org.vnetd.daemon.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** Backend choice from the config value; the runner only answers the "is nft there" probe. */
class FirewallBackendsTest {
    private final List<List<String>> calls = new ArrayList<>();

    private CommandRunner runner(boolean nftInstalled) {
        return (argv, stdin) -> {
            calls.add(argv);
            boolean ok = nftInstalled || !argv.get(0).equals("nft");
            return new CommandResult(argv, ok ? 0 : CommandRunner.NOT_FOUND, "", ok ? "" : "cannot run nft: not found");
        };
    }

    @Test
    void nftablesIsTheDefault() {
        assertEquals("nftables", FirewallBackends.choose(null, runner(true)).name());
        assertEquals("nftables", FirewallBackends.choose("nftables", runner(true)).name());
        assertEquals(List.of(List.of("nft", "--version"), List.of("nft", "--version")), calls);
    }

    @Test
    void fallsBackToIptablesWhenNftIsMissing() {
        assertEquals("iptables", FirewallBackends.choose("nftables", runner(false)).name());
    }

    @Test
    void iptablesOnRequestWithoutProbing() {
        assertEquals("iptables", FirewallBackends.choose("iptables", runner(true)).name());
        assertTrue(calls.isEmpty());
    }

    @Test
    void anUnknownBackendIsRefusedByName() {
        VnetException e = assertThrows(VnetException.class, () -> FirewallBackends.choose("pf", runner(true)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("'pf'"), e.getMessage());
    }

    @Test
    void aMissingNftIsReportedAsSuchWhenApplying() {
        ProcessCommandRunner missing = new ProcessCommandRunner(List.of(), java.time.Duration.ofSeconds(5));
        CommandResult r = missing.run("vnetd-no-such-program-xyz");
        assertEquals(CommandRunner.NOT_FOUND, r.exitCode());
    }
}
