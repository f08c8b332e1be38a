package org.vnetd.cli.command;

import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

/** net-port-delete: detaches and deletes the port's tap (its DHCP lease is kept). */
public final class NetPortDelete implements Command {
    static final CommandDef DEF = new CommandDef("net-port-delete", Networks.GROUP,
            "delete the specified network port", "Delete the specified network port.",
            List.of(Networks.NETWORK, Ports.PORT), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        String network = cmd.required("network");
        String port = cmd.required("port");
        try {
            s.api().deletePort(network, port);
        } catch (VnetException e) {
            return Ports.failed(s, network, port, e, "Failed to delete network port " + port);
        }
        s.printExtra("Network port " + port + " deleted\n");
        return true;
    }
}
