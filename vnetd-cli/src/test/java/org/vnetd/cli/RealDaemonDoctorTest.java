package org.vnetd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * {@code vnetctl doctor}'s firewall checks, which come from the real daemon's {@code firewall.diagnose}: in the
 * daemon's namespace each problem is made on purpose — a Docker-like {@code table inet docker} whose forward chain
 * has policy drop, a foreign rule dropping DHCP (UDP 67) from our bridge, the ruleset flushed under vnetd (its
 * chains drift from the plan) — and doctor, run as a process inside that namespace (so its local checks see the
 * same host), reports it with why and fix and exits 1; once the problem is undone it exits 0 again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RealDaemonDoctorTest {
    static final String LAB_XML = """
            <network>
              <name>lab</name>
              <forward mode='nat'/>
              <bridge name='vntdoc0'/>
              <ip address='10.89.1.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='10.89.1.10' end='10.89.1.200'/>
                </dhcp>
              </ip>
            </network>
            """;

    private TestNetns ns;
    private RealVnetd daemon;
    private Cli cli;

    @BeforeAll
    void start() throws Exception {
        NetnsSupport.require("nft");
        ns = TestNetns.create("clidoc");
        Path dir = Files.createTempDirectory("vnetd-cli-doctor");
        daemon = new RealVnetd(ns, dir).start("--no-default-network", "--firewall-backend", "nftables");
        cli = new Cli(daemon.socket());
        Path xml = dir.resolve("lab.xml");
        Files.writeString(xml, LAB_XML);
        assertEquals(0, cli.run("net-define", xml.toString()).status());
        Cli.Result r = cli.run("net-start", "lab");
        assertEquals(0, r.status(), r.err() + daemon.log());
    }

    @AfterAll
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    /** vnetctl doctor as its own process inside the daemon's namespace, as a user on that host runs it. */
    private Exec.Result doctor() {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                "org.vnetd.cli.Vnetctl", "-c", daemon.socket().toString(), "doctor"));
        return ns.exec(Duration.ofSeconds(60), argv.toArray(String[]::new));
    }

    private void nft(String script) {
        Exec.Result r = ns.execWithInput(script, "nft", "-f", "-");
        assertTrue(r.ok(), "nft -f failed: " + r.stderr());
    }

    private static void assertFinding(Exec.Result r, String line, String why, String fix) {
        String out = r.stdout();
        assertEquals(1, r.exitCode(), "doctor must exit 1:\n" + out + r.stderr());
        int at = out.indexOf(line + "\n");
        assertTrue(at >= 0, "expected «" + line + "» in:\n" + out);
        String rest = out.substring(at + line.length() + 1);
        assertTrue(rest.startsWith("       why: " + why), "why of " + line + ":\n" + out);
        assertTrue(rest.contains("\n       fix: " + fix), "fix of " + line + ":\n" + out);
    }

    private void assertHealthy(String when) {
        Exec.Result r = doctor();
        assertEquals(0, r.exitCode(), when + ": doctor must pass:\n" + r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("[ OK ] firewall: no other table drops the networks' traffic and vnetd's rules"
                + " match the plan\n"), r.stdout());
        assertFalse(r.stdout().contains("[FAIL]"), r.stdout());
    }

    @Test
    void firewallProblemsAreFoundExplainedAndGoneWhenFixed() {
        assertHealthy("before any problem");

        nft("""
                table inet docker {
                  chain forward { type filter hook forward priority 0; policy drop; }
                }
                """);
        assertTrue(ns.execOk("nft", "list", "tables").contains("inet docker"));
        assertFinding(doctor(),
                "[FAIL] foreign_forward_drop: table inet docker, chain forward has policy drop on the forward hook"
                        + " (Docker sets this)",
                "guest traffic that vnetd accepts is still dropped there",
                "accept the bridges in that table too");
        ns.execOk("nft", "delete", "table", "inet", "docker");
        assertHealthy("docker table removed");

        nft("""
                table inet lab {
                  chain input {
                    type filter hook input priority 0; policy accept;
                    iifname "vntdoc0" udp dport 67 drop
                  }
                }
                """);
        Exec.Result r = doctor();
        assertTrue(r.stdout().matches("(?s).*\\[FAIL\\] foreign_service_drop: table inet lab, chain input, rule handle \\d+"
                + " drops UDP port 67 \\(DHCP\\) that guests send to the host\n.*"), r.stdout());
        assertTrue(r.stdout().contains("fix: exempt the bridges before that rule"), r.stdout());
        assertEquals(1, r.exitCode());
        ns.execOk("nft", "delete", "table", "inet", "lab");
        assertHealthy("foreign DHCP drop removed");

        // another tool replaces the ruleset (iptables-restore, `nft -f` with flush ruleset, a firewall reload)
        ns.execOk("nft", "flush", "ruleset");
        r = doctor();
        assertTrue(r.stdout().contains("[FAIL] vnetd_rules_missing: network 'lab' is running but table inet vnetd lacks"
                + " its chain(s) "), r.stdout());
        assertTrue(r.stdout().contains("fix: vnetctl firewall-reload re-applies the rules of all running networks\n"),
                r.stdout());
        assertEquals(1, r.exitCode());
        // the fix doctor names works
        assertEquals(0, cli.run("firewall-reload").status());
        assertHealthy("after firewall-reload");
    }

    @Test
    void firewallDiagnoseIsAllowedOnTheReadOnlySocket() {
        Cli.Result r = new Cli(daemon.readOnlySocket()).run("doctor");
        assertFalse(r.out().contains("firewall checks skipped"), r.out());
        assertFalse(r.out().contains("not available"), r.out());
        assertTrue(r.out().contains("firewall"), r.out());
    }
}
