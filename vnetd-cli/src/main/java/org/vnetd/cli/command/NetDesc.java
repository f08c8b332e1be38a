package org.vnetd.cli.command;

import java.util.List;
import java.util.Optional;

import org.vnetd.cli.Session;
import org.vnetd.cli.edit.EditSession;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

/** net-desc: shows or sets a network's description (or --title), inline or in the editor. */
public final class NetDesc implements Command {
    static final CommandDef DEF = new CommandDef("net-desc", Networks.GROUP,
            "show or set network's description or title",
            "Allows setting or modifying the description or title of a network.", Networks.withScope(List.of(
            Networks.NETWORK), List.of(
            OptionDef.bool("title", "modify/get the title instead of description"),
            OptionDef.bool("edit", "open an editor to modify the description"),
            OptionDef.argv("new-desc", "message"))), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        Networks.exclusiveScope(cmd);
        String name = cmd.required("network");
        boolean title = cmd.flag("title");
        String type = title ? "title" : "description";
        boolean config = cmd.flag("config");
        boolean live = cmd.flag("live");
        String descArg = cmd.argv().isEmpty() ? null : String.join(" ", cmd.argv());
        String current;
        try {
            current = s.api().metadata(name, type, null, config).orElse("");
        } catch (VnetException e) {
            return Networks.failed(s, name, e, "failed to get the " + type + " of network " + name);
        }
        if (!cmd.flag("edit") && descArg == null) {
            if (!current.isEmpty()) {
                s.print(current);
            } else {
                s.printExtra((title ? "No title for network: " : "No description for network: ") + name);
            }
            return true;
        }
        String updated = descArg != null ? descArg : current;
        if (cmd.flag("edit")) {
            Optional<String> edited = EditSession.editText(s, updated);
            if (edited.isEmpty()) {
                return false;
            }
            String text = edited.get();
            if (title && text.endsWith("\n")) {
                text = text.substring(0, text.length() - 1);
            }
            if (text.equals(current)) {
                s.printExtra(title ? "Network title not changed\n" : "Network description not changed\n");
                return true;
            }
            updated = text;
        }
        try {
            s.api().setMetadata(name, type, updated, null, null, live, config);
        } catch (VnetException e) {
            return Networks.failed(s, name, e,
                    title ? "Failed to set new network title" : "Failed to set new network description");
        }
        s.printExtra(title ? "Network title updated successfully" : "Network description updated successfully");
        return true;
    }
}
