package org.vnetd.cli.doctor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.vnetd.cli.Session;
import org.vnetd.cli.command.Command;
import org.vnetd.client.DaemonUnreachableException;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.cli.rpc.VnetdApi;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

/**
 * {@code vnetctl doctor [NETWORK]} (vnetd extra): checks the host and the networks for the problems users hit,
 * each finding with why it matters and how to fix it. Exits 1 when any check fails. Works without the daemon
 * for the host-wide checks.
 */
public final class DoctorCommand implements Command {
    static final CommandDef DEF = new CommandDef("doctor", "vnetd", "diagnose common network problems",
            "Checks IP forwarding, br_netfilter, routes overlapping a network, the bridges and taps, DHCP pool"
                    + " usage,\n    and (from the daemon) other tables dropping the networks' traffic and drift of"
                    + " vnetd's\n    firewall rules; prints why each problem matters and how to fix it.",
            List.of(OptionDef.positionalString("network", "check only this network (name or uuid)")), false);

    private final HostProbe host;
    /** The firewall checks, given the daemon connection (the daemon sees its ruleset and its plans). */
    private final Function<VnetdApi, FirewallDiagnostics> firewall;

    public DoctorCommand() {
        this(CommandHostProbe.local(), DaemonFirewallDiagnostics::new);
    }

    public DoctorCommand(HostProbe host, FirewallDiagnostics firewall) {
        this(host, api -> firewall);
    }

    public DoctorCommand(HostProbe host, Function<VnetdApi, FirewallDiagnostics> firewall) {
        this.host = host;
        this.firewall = firewall;
    }

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        Optional<String> only = cmd.nonEmpty("network");
        List<Finding> findings = new ArrayList<>();
        List<NetworkFacts> networks = new ArrayList<>();
        FirewallDiagnostics firewallChecks = UNREACHABLE;
        try {
            VnetdApi api = s.api();
            firewallChecks = firewall.apply(api);
            List<NetworkSummary> targets;
            try {
                targets = only.isPresent() ? List.of(api.lookup(only.get())) : api.list();
            } catch (DaemonUnreachableException e) {
                throw e;
            } catch (VnetException e) {
                s.error(only.isPresent() ? "failed to get network '" + only.get() + "'" : "Failed to list networks");
                s.report(e);
                return false;
            }
            for (NetworkSummary n : targets) {
                boolean active = n.active();
                List<org.vnetd.core.rpc.Port> ports = List.of();
                if (active) {
                    try {
                        ports = api.ports(n.name());
                    } catch (DaemonUnreachableException e) {
                        throw e;
                    } catch (VnetException e) {
                        // a daemon without port support (OPERATION_UNSUPPORTED) has no taps to check
                        findings.add(Finding.info("tap", "taps of '" + n.name() + "' not checked", e.getMessage()));
                    }
                }
                networks.add(NetworkFacts.of(n, api.xml(n.name(), false),
                        active ? api.leases(n.name(), null) : List.of(), ports));
            }
        } catch (DaemonUnreachableException e) {
            s.dropConnection();
            firewallChecks = UNREACHABLE;
            findings.add(new Finding("daemon", Severity.FAIL, "cannot reach vnetd: " + e.getMessage(),
                    "without the daemon only the host-wide checks can run",
                    "systemctl start vnetd (or give the socket with -c/--connect)"));
        }
        findings.addAll(Doctor.standard(host, Instant.now().getEpochSecond(), guarded(s, firewallChecks)).examine(networks));
        if (s.json()) {
            org.vnetd.cli.command.Commands.printJson(s, findings);
        } else {
            print(s, findings);
        }
        return findings.stream().noneMatch(f -> f.severity() == Severity.FAIL);
    }

    /** Without the daemon its firewall view is missing: said once, as INFO (the daemon finding already FAILs). */
    static final FirewallDiagnostics UNREACHABLE = (host, networks) -> List.of(Finding.info("firewall",
            "firewall checks skipped", "they come from the daemon (firewall.diagnose), which is not reachable"));

    /** The daemon going away between the listing and the firewall checks is a finding, not a crash. */
    private static FirewallDiagnostics guarded(Session s, FirewallDiagnostics checks) {
        return (host, networks) -> {
            try {
                return checks.run(host, networks);
            } catch (DaemonUnreachableException e) {
                s.dropConnection();
                return UNREACHABLE.run(host, networks);
            }
        };
    }

    static void print(Session s, List<Finding> findings) {
        for (Finding f : findings) {
            s.print("[" + f.severity().label() + "] " + f.check() + ": " + f.summary() + "\n");
            if (!f.why().isEmpty()) {
                s.print("       why: " + f.why() + "\n");
            }
            if (!f.fix().isEmpty()) {
                s.print("       fix: " + f.fix() + "\n");
            }
        }
    }
}
