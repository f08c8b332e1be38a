package org.vnetd.cli.command;

import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

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
        String name = cmd.required("network");
        try {
            s.api().start(name);
        } catch (VnetException e) {
            return Networks.failed(s, name, e, "Failed to start network " + name);
        }
        s.printExtra("Network " + name + " started\n");
        return true;
    }
}
