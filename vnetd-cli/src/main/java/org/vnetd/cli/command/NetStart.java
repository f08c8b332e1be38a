package org.vnetd.cli.command;

import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.cli.rpc.VnetdApi;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;

/** net-start: Start a network. */
public final class NetStart implements Command {
    static final CommandDef DEF = new CommandDef("net-start", Networks.GROUP, "start a (previously defined) inactive network",
            "Start a network.", List.of(Networks.NETWORK), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        return Networks.byName(s, cmd, VnetdApi::start, "start", "started");
    }
}
