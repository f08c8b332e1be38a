package org.vnetd.cli.command;

import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.cli.rpc.VnetdApi;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;

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
        return Networks.byName(s, cmd, VnetdApi::undefine, "undefine", "has been undefined");
    }
}
