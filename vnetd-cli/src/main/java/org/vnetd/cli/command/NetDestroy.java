package org.vnetd.cli.command;

import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

/** net-destroy: Forcefully stop a given network. */
public final class NetDestroy implements Command {
    static final CommandDef DEF = new CommandDef("net-destroy", Networks.GROUP, "destroy (stop) a network",
            "Forcefully stop a given network.", List.of(Networks.NETWORK), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        String name = cmd.required("network");
        try {
            s.api().destroy(name);
        } catch (VnetException e) {
            return Networks.failed(s, name, e, "Failed to destroy network " + name);
        }
        s.printExtra("Network " + name + " destroyed\n");
        return true;
    }
}
