package org.vnetd.cli.command;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.vnetd.cli.Session;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.client.DaemonUnreachableException;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.ImportResult;
import org.vnetd.core.rpc.Request;

/**
 * import-libvirt (vnetd extra): libvirt's networks, their autostart flags and leases become vnetd's; with
 * {@code --takeover} its running networks too, guests undisturbed. The daemon does it (network.importLibvirt);
 * this prints what it did, or with {@code --dry-run} what it would do, network by network.
 */
public final class ImportLibvirt implements Command {
    static final CommandDef DEF = new CommandDef("import-libvirt", "vnetd",
            "make libvirt's networks vnetd's",
            "Defines libvirt's networks in vnetd as libvirt keeps them (uuid, bridge and MAC too), with their autostart "
                    + "flags and leases. With --takeover, running networks move too: libvirt's dnsmasq for them ends, its "
                    + "firewall rules go, and vnetd takes over their bridges with the guests attached. Clashes with vnetd's "
                    + "own networks refuse the whole import. Stop libvirt's network daemon first.",
            List.of(OptionDef.string("config", "libvirt's network definitions (default /etc/libvirt/qemu/networks)"),
                    OptionDef.string("status", "libvirt's status of running networks (default /run/libvirt/network)"),
                    OptionDef.string("leases", "libvirt's lease files (default /var/lib/libvirt/dnsmasq)"),
                    OptionDef.bool("takeover", "take running networks over"),
                    OptionDef.bool("dry-run", "print what would be done, change nothing")), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        Request.NetworkImportLibvirt request = new Request.NetworkImportLibvirt(dir(cmd, "config").orElse(null),
                dir(cmd, "status").orElse(null), dir(cmd, "leases").orElse(null), cmd.flag("takeover"), cmd.flag("dry-run"));
        ImportResult r;
        try {
            r = s.api().importLibvirt(request);
        } catch (DaemonUnreachableException e) {
            throw e;
        } catch (VnetException e) {
            s.error("Failed to import libvirt's networks");
            s.report(e);
            return false;
        }
        if (s.json()) {
            JsonOut.print(s, r);
            return true;
        }
        StringBuilder sb = new StringBuilder();
        if (r.dryRun()) {
            sb.append("Dry run: nothing was changed.\n");
        }
        if (r.networks().isEmpty()) {
            sb.append("libvirt has no networks\n");
        }
        for (ImportResult.Network n : r.networks()) {
            sb.append("Network ").append(n.name()).append(" (").append(n.uuid());
            if (n.bridge() != null) {
                sb.append(", bridge ").append(n.bridge());
            }
            sb.append("): ").append(r.dryRun() && n.outcome().equals("imported") ? "to import" : n.outcome())
                    .append(n.takenOver() ? (r.dryRun() ? ", to take over" : ", taken over") : "").append('\n');
            for (String step : n.steps()) {
                sb.append("  ").append(step).append('\n');
            }
        }
        s.print(sb.toString());
        return true;
    }

    /** The daemon reads the directories: relative ones are made absolute here, where the user meant them. */
    private static Optional<String> dir(ParsedCommand cmd, String option) throws UsageException {
        Optional<String> v = cmd.nonEmpty(option);
        return v.map(d -> Path.of(d).toAbsolutePath().normalize().toString());
    }
}
