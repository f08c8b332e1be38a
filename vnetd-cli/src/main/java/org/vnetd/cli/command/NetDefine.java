package org.vnetd.cli.command;

import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.cli.rpc.VnetdApi;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;

/** net-define: sends the file's XML to the daemon, which validates it (--validate is accepted; vnetd always validates). */
public final class NetDefine implements Command {
    static final CommandDef DEF = new CommandDef("net-define", Networks.GROUP,
            "define an inactive persistent virtual network or modify an existing persistent one from an XML file", "Define or modify a persistent virtual network.", List.of(
            OptionDef.data("file", "file containing an XML network description"),
            OptionDef.bool("validate", "validate the XML against the schema")), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        return XmlFiles.submit(s, cmd, VnetdApi::define, "define", "defined");
    }
}
