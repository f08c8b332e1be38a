package org.vnetd.cli.command;

import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

/** net-undefine: Undefine the configuration for a persistent network. */
public final class NetUndefine implements Command {
    static final CommandDef DEF = new CommandDef("net-undefine", Networks.GROUP, "undefine a persistent network",
            "Undefine the configuration for a persistent network.", List.of(Networks.NETWORK), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        String name = cmd.required("network");
        try {
            s.api().undefine(name);
        } catch (VnetException e) {
            return Networks.failed(s, name, e, "Failed to undefine network " + name);
        }
        s.printExtra("Network " + name + " has been undefined\n");
        return true;
    }
}
