package org.vnetd.daemon.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * The in-process libnftables runner against the real kernel, in a namespace of its own (the runner
 * is created on a thread inside it, so its netlink socket is there): same results and the same
 * all-or-nothing transaction as {@code nft -f -}, and errors the backend can explain by line.
 */
class LibNftablesRunnerNetnsTest {

    @Test
    void appliesAScriptAsOneTransactionAndReportsTheRejectedLine() {
        NetnsSupport.require("nft", "ip");
        try (TestNetns ns = TestNetns.create("libnft"); NetnsExecutor in = NetnsExecutor.enter(ns)) {
            CommandRunner runner = in.call(() -> LibNftablesRunner.orFallback(new ProcessCommandRunner()));
            assertInstanceOf(LibNftablesRunner.class, runner, "libnftables.so.1 is installed with nft");

            CommandResult ok = in.call(() -> runner.run(List.of("nft", "-f", "-"),
                    "add table inet vt\nadd chain inet vt c1\nadd rule inet vt c1 tcp dport 22 accept\n"));
            assertEquals(0, ok.exitCode(), ok.stderr());
            String listedByNft = ns.execOk("nft", "list", "table", "inet", "vt");
            assertTrue(listedByNft.contains("tcp dport 22 accept"), listedByNft);

            // the second line is rejected: nothing of the script may remain (one kernel transaction)
            String bad = "add chain inet vt c2\nadd rule inet vt c2 tcp dport nosuchservice accept\n";
            CommandResult rejected = in.call(() -> runner.run(List.of("nft", "-f", "-"), bad));
            assertEquals(1, rejected.exitCode());
            assertTrue(rejected.stderr().contains("/dev/stdin:2:"), rejected.stderr());
            assertTrue(NftablesBackend.explain(bad, rejected.stderr()).contains("line 2 of the transaction"),
                    NftablesBackend.explain(bad, rejected.stderr()));
            assertFalse(ns.execOk("nft", "list", "table", "inet", "vt").contains("c2"), "rejected batch left chain c2");

            CommandResult listed = in.call(() -> runner.run("nft", "list", "table", "inet", "vt"));
            assertEquals(0, listed.exitCode(), listed.stderr());
            assertEquals(listedByNft.strip(), listed.stdout().strip());
            CommandResult missing = in.call(() -> runner.run("nft", "list", "table", "inet", "nosuch"));
            assertEquals(1, missing.exitCode());

            // anything else still runs the program
            assertEquals(0, in.call(() -> runner.run("nft", "--version")).exitCode());
        }
    }
}
