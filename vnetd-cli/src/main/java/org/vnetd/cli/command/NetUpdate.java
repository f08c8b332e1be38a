package org.vnetd.cli.command;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.vnetd.cli.Session;
import org.vnetd.core.rpc.UpdateResult;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

/**
 * net-update: one change to a section of a network's definition, live and/or persistent. The XML is
 * inline when it starts with {@code <}, otherwise the name of a file holding it.
 */
public final class NetUpdate implements Command {
    static final CommandDef DEF = new CommandDef("net-update", Networks.GROUP,
            "update parts of an existing network's configuration", "", List.of(
            Networks.NETWORK,
            OptionDef.data("command", "type of update (add-first, add-last (add), delete, or modify)"),
            OptionDef.data("section", "which section of network configuration to update"),
            OptionDef.data("xml", "name of file containing xml (or, if it starts with '<', the complete xml element"
                    + " itself) to add/modify, or to be matched for search"),
            OptionDef.positionalInt("parent-index", "which parent object to search through"),
            OptionDef.bool("config", "affect next network startup"),
            OptionDef.bool("live", "affect running network"),
            OptionDef.bool("current", "affect current state of network")), true);

    static final Set<String> COMMANDS = Set.of("add-first", "add-last", "delete", "modify");
    static final List<String> SECTIONS = List.of("bridge", "domain", "ip", "ip-dhcp-host", "ip-dhcp-range", "forward",
            "forward-interface", "forward-pf", "portgroup", "dns-host", "dns-txt", "dns-srv");

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        Networks.exclusiveScope(cmd);
        String name = cmd.required("network");
        String command = cmd.required("command");
        if (command.equals("add")) {
            command = "add-last";
        } else if (!COMMANDS.contains(command)) {
            s.error("unrecognized command name '" + command + "'");
            return false;
        }
        String section = cmd.required("section");
        if (!SECTIONS.contains(section)) {
            s.error("unrecognized section name '" + section + "'");
            return false;
        }
        int parentIndex = cmd.integer("parent-index", -1);
        String xmlArg = cmd.required("xml");
        String xml = xmlArg;
        if (!xmlArg.startsWith("<")) {
            Optional<String> fromFile = XmlFiles.read(s, xmlArg);
            if (fromFile.isEmpty()) {
                return false;
            }
            xml = fromFile.get();
        }
        boolean config = cmd.flag("config");
        boolean live = cmd.flag("live");
        UpdateResult r;
        try {
            r = s.api().update(name, command, section, xml, parentIndex, live, config);
        } catch (VnetException e) {
            return Networks.failed(s, name, e, "Failed to update network " + name);
        }
        // virsh names what was asked for; with neither flag (--current) the daemon says what it touched
        boolean didConfig = config || live ? config : r.config() && !r.live();
        boolean didLive = config || live ? live : r.live();
        if (didConfig && didLive) {
            s.printExtra("Updated network " + name + " persistent config and live state");
        } else if (didLive) {
            s.printExtra("Updated network " + name + " live state");
        } else {
            s.printExtra("Updated network " + name + " persistent config");
        }
        return true;
    }
}
