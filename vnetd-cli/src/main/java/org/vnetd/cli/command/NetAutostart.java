package org.vnetd.cli.command;

import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

/** net-autostart: marks or (--disable) unmarks a network for start at daemon start-up. */
public final class NetAutostart implements Command {
    static final CommandDef DEF = new CommandDef("net-autostart", Networks.GROUP, "autostart a network",
            "Configure a network to be automatically started at boot.",
            List.of(Networks.NETWORK, OptionDef.bool("disable", "disable autostarting")), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        String name = cmd.required("network");
        boolean enable = !cmd.flag("disable");
        try {
            s.api().setAutostart(name, enable);
        } catch (VnetException e) {
            return Networks.failed(s, name, e, enable ? "failed to mark network " + name + " as autostarted"
                    : "failed to unmark network " + name + " as autostarted");
        }
        s.printExtra(enable ? "Network " + name + " marked as autostarted\n"
                : "Network " + name + " unmarked as autostarted\n");
        return true;
    }
}
