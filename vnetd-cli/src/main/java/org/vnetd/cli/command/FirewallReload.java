package org.vnetd.cli.command;

import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.core.error.VnetException;

/** firewall-reload (vnetd extra): re-applies every running network's firewall rules, e.g. after firewalld flushed them. */
public final class FirewallReload implements Command {
    static final CommandDef DEF = new CommandDef("firewall-reload", "vnetd",
            "reload the firewall rules of all running networks",
            "Re-applies the NAT and forwarding rules of every running network, e.g. after another tool flushed them.",
            List.of(), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) {
        try {
            s.api().firewallReload();
        } catch (org.vnetd.client.DaemonUnreachableException e) {
            throw e;
        } catch (VnetException e) {
            s.error("Failed to reload the firewall rules");
            s.report(e);
            return false;
        }
        s.printExtra("Firewall rules reloaded\n");
        return true;
    }
}
