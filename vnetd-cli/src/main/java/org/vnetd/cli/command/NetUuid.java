package org.vnetd.cli.command;

import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** net-uuid: looks the network up by name only, as virsh does (a UUID argument is not a name). */
public final class NetUuid implements Command {
    static final CommandDef DEF = new CommandDef("net-uuid", Networks.GROUP, "convert a network name to network UUID",
            "", List.of(OptionDef.data("network", "network name")), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        String name = cmd.required("network");
        NetworkSummary n;
        try {
            n = s.api().lookup(name);
        } catch (org.vnetd.client.DaemonUnreachableException e) {
            throw e;
        } catch (VnetException e) {
            Networks.lookupFailed(s, name, e);
            return false;
        }
        if (!n.name().equals(name)) {
            Networks.lookupFailed(s, name, new VnetException(ErrorCode.NO_SUCH_NETWORK,
                    "Network not found: no network with matching name '" + name + "'"));
            return false;
        }
        s.print(n.uuid() + "\n");
        return true;
    }
}
