package org.vnetd.cli.command;

import java.util.List;
import java.util.Optional;

import org.vnetd.cli.Session;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;

/**
 * net-info: virsh's {@code "%-15s %s"} lines; Bridge only when the network has one. A running network
 * whose services do not all serve gets a {@code Degraded:} line with the reason after {@code Active:}
 * (never shown by virsh, which has no such state; a healthy network prints exactly virsh's lines).
 */
public final class NetInfo implements Command {
    static final CommandDef DEF = new CommandDef("net-info", Networks.GROUP, "network information",
            "Returns basic information about the network", List.of(Networks.NETWORK), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        Optional<NetworkSummary> found = Networks.lookup(s, cmd.required("network"));
        if (found.isEmpty()) {
            return false;
        }
        NetworkSummary n = found.get();
        if (s.json()) {
            JsonOut.print(s, n);
            return true;
        }
        line(s, "Name:", n.name());
        line(s, "UUID:", n.uuid());
        line(s, "Active:", yesNo(n.active()));
        if (n.degraded() != null) {
            line(s, "Degraded:", n.degraded());
        }
        line(s, "Persistent:", yesNo(n.persistent()));
        line(s, "Autostart:", yesNo(n.autostart()));
        if (n.bridge() != null && !n.bridge().isEmpty()) {
            line(s, "Bridge:", n.bridge());
        }
        return true;
    }

    private static void line(Session s, String label, String value) {
        // virsh's "%-15s %s\n", without java.util.Formatter (it costs a vnetctl call noticeable start-up)
        s.print(label + " ".repeat(Math.max(0, 15 - label.length())) + " " + value + "\n");
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
