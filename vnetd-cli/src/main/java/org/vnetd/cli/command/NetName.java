package org.vnetd.cli.command;

import java.util.List;
import java.util.regex.Pattern;

import org.vnetd.cli.Session;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

/**
 * net-name: looks the network up by UUID only. Like virsh, an argument that is not 36 characters is never
 * sent as a UUID, so only {@code failed to get network} is printed for it.
 */
public final class NetName implements Command {
    static final CommandDef DEF = new CommandDef("net-name", Networks.GROUP, "convert a network UUID to network name",
            "", List.of(OptionDef.data("network", "network uuid")), true);
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
            + "[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        String uuid = cmd.required("network");
        if (uuid.length() != 36 || !UUID.matcher(uuid).matches()) {
            s.error("failed to get network '" + uuid + "'");
            return false;
        }
        NetworkSummary n;
        try {
            n = s.api().lookup(uuid);
        } catch (org.vnetd.client.DaemonUnreachableException e) {
            throw e;
        } catch (VnetException e) {
            Networks.lookupFailed(s, uuid, e);
            return false;
        }
        if (!n.uuid().equalsIgnoreCase(uuid)) {
            s.error("failed to get network '" + uuid + "'");
            return false;
        }
        s.print(n.name() + "\n");
        return true;
    }
}
