package org.vnetd.cli.command;

import java.util.Comparator;
import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.cli.output.VshTable;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.core.error.VnetException;

/** net-list: the daemon returns every network; the filters, the case-insensitive sort and the table are here. */
public final class NetList implements Command {
    static final CommandDef DEF = new CommandDef("net-list", Networks.GROUP, "list networks",
            "Returns list of networks.", List.of(
            OptionDef.bool("inactive", "list inactive networks"),
            OptionDef.bool("all", "list inactive & active networks"),
            OptionDef.bool("persistent", "list persistent networks"),
            OptionDef.bool("transient", "list transient networks"),
            OptionDef.bool("autostart", "list networks with autostart enabled"),
            OptionDef.bool("no-autostart", "list networks with autostart disabled"),
            OptionDef.bool("uuid", "list uuid's only"),
            OptionDef.bool("name", "list network names only"),
            OptionDef.bool("table", "list table (default)"),
            OptionDef.bool("title", "show network title")), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) {
        boolean optName = cmd.flag("name");
        boolean optUuid = cmd.flag("uuid");
        boolean optTable = cmd.flag("table");
        if ((optName ? 1 : 0) + (optUuid ? 1 : 0) + (optTable ? 1 : 0) > 1) {
            s.error("Only one argument from --table, --name and --uuid may be specified.");
            return false;
        }
        List<NetworkSummary> all;
        try {
            all = s.api().list();
        } catch (org.vnetd.client.DaemonUnreachableException e) {
            throw e;
        } catch (VnetException e) {
            s.error("Failed to list networks");
            s.report(e);
            return false;
        }
        List<NetworkSummary> nets = all.stream().filter(n -> matches(cmd, n))
                .sorted(Comparator.comparing(NetworkSummary::name, String.CASE_INSENSITIVE_ORDER)).toList();
        if (s.json()) {
            JsonOut.print(s, nets);
            return true;
        }
        if (optUuid) {
            nets.forEach(n -> s.print(n.uuid() + "\n"));
            return true;
        }
        if (optName) {
            nets.forEach(n -> s.print(n.name() + "\n"));
            return true;
        }
        boolean title = cmd.flag("title");
        VshTable table = title ? new VshTable("Name", "State", "Autostart", "Persistent", "Title")
                : new VshTable("Name", "State", "Autostart", "Persistent");
        for (NetworkSummary n : nets) {
            String state = n.active() ? "active" : "inactive";
            String autostart = n.autostart() ? "yes" : "no";
            String persistent = n.persistent() ? "yes" : "no";
            if (title) {
                table.row(n.name(), state, autostart, persistent, n.title() == null ? "" : n.title());
            } else {
                table.row(n.name(), state, autostart, persistent);
            }
        }
        s.print(table.render(!s.quiet()));
        return true;
    }

    /** virsh's flag logic: active only by default, --inactive or --all widen it, the pairs filter. */
    static boolean matches(ParsedCommand cmd, NetworkSummary n) {
        boolean wantActive = !cmd.flag("inactive") || cmd.flag("all");
        boolean wantInactive = cmd.flag("inactive") || cmd.flag("all");
        if (n.active() ? !wantActive : !wantInactive) {
            return false;
        }
        boolean p = cmd.flag("persistent");
        boolean t = cmd.flag("transient");
        if ((p || t) && !((p && n.persistent()) || (t && !n.persistent()))) {
            return false;
        }
        boolean a = cmd.flag("autostart");
        boolean na = cmd.flag("no-autostart");
        return !(a || na) || (a && n.autostart()) || (na && !n.autostart());
    }
}
