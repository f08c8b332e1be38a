package org.vnetd.cli.command;

import java.util.Comparator;
import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.cli.output.VshTable;
import org.vnetd.core.rpc.Port;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

/** net-port-list: a network's ports by UUID, in the order of their binary UUIDs as virsh sorts them. */
public final class NetPortList implements Command {
    static final CommandDef DEF = new CommandDef("net-port-list", Networks.GROUP, "list network ports",
            "Returns list of network ports.", List.of(
            Networks.NETWORK,
            OptionDef.bool("uuid", "list uuid's only"),
            OptionDef.bool("table", "list table (default)")), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        if (cmd.flag("uuid") && cmd.flag("table")) {
            s.error("Only one argument from --table and --uuid may be specified.");
            return false;
        }
        String network = cmd.required("network");
        List<Port> ports;
        try {
            ports = s.api().ports(network);
        } catch (VnetException e) {
            return Networks.failed(s, network, e, "Failed to list network ports");
        }
        // hex digits compare like the bytes they encode once the case is the same
        List<Port> sorted = ports.stream()
                .sorted(Comparator.comparing(p -> p.uuid().toLowerCase(java.util.Locale.ROOT))).toList();
        if (s.json()) {
            JsonOut.print(s, sorted);
            return true;
        }
        if (cmd.flag("uuid")) {
            sorted.forEach(p -> s.print(p.uuid() + "\n"));
            return true;
        }
        VshTable table = new VshTable("UUID");
        sorted.forEach(p -> table.row(p.uuid()));
        s.print(table.render(!s.quiet()));
        return true;
    }
}
