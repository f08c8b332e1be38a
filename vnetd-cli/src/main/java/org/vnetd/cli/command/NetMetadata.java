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

/** net-metadata: shows, sets (--set with --key), removes or edits the custom metadata element of a namespace URI. */
public final class NetMetadata implements Command {
    static final CommandDef DEF = new CommandDef("net-metadata", Networks.GROUP,
            "show or set network's custom XML metadata", "Shows or modifies the XML metadata of a network.", Networks.withScope(List.of(
            Networks.NETWORK,
            OptionDef.data("uri", "URI of the namespace")), List.of(
            OptionDef.bool("edit", "use an editor to change the metadata"),
            OptionDef.positionalString("key", "key to be used as a namespace identifier"),
            OptionDef.positionalString("set", "new metadata to set"),
            OptionDef.bool("remove", "remove the metadata corresponding to an uri"))), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        Networks.exclusiveScope(cmd);
        Networks.exclusive(cmd, "edit", "set");
        Networks.exclusive(cmd, "remove", "set");
        Networks.exclusive(cmd, "remove", "edit");
        String name = cmd.required("network");
        String uri = cmd.required("uri");
        Optional<String> key = cmd.nonEmpty("key");
        Optional<String> set = cmd.nonEmpty("set");
        boolean edit = cmd.flag("edit");
        boolean remove = cmd.flag("remove");
        boolean live = cmd.flag("live");
        boolean config = cmd.flag("config");
        if ((set.isPresent() || edit) && key.isEmpty()) {
            s.error("namespace key is required when modifying metadata");
            return false;
        }
        try {
            if (set.isPresent() || remove) {
                s.api().setMetadata(name, "element", set.orElse(null), key.orElse(null), uri, live, config);
                s.printExtra(remove ? "Metadata removed\n" : "Metadata modified\n");
                return true;
            }
            Optional<String> currentValue = s.api().metadata(name, "element", uri, config);
            if (edit) {
                String current = currentValue.orElse("\n");
                Optional<String> edited = EditSession.editText(s, current);
                if (edited.isEmpty()) {
                    return false;
                }
                if (edited.get().equals(current)) {
                    s.printExtra("Metadata not changed");
                    return true;
                }
                s.api().setMetadata(name, "element", edited.get(), key.get(), uri, live, config);
                s.printExtra("Metadata modified\n");
                return true;
            }
            if (currentValue.isEmpty()) {
                s.error("metadata not found: Requested metadata element is not present");
                return false;
            }
            s.print(currentValue.get() + "\n");
            return true;
        } catch (VnetException e) {
            return Networks.failed(s, name, e, "failed to access the metadata of network " + name);
        }
    }
}
