package org.vnetd.cli.command;

import java.util.List;
import java.util.function.BiFunction;

import org.vnetd.cli.Session;
import org.vnetd.cli.rpc.VnetdApi;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.rpc.NetworkSummary;

/**
 * net-define and net-create: send the file's XML to the daemon, which validates it (--validate is accepted; vnetd
 * always validates). They differ only in the call and its words.
 */
final class NetFromXml implements Command {
    private static final List<OptionDef> OPTIONS = List.of(
            OptionDef.data("file", "file containing an XML network description"),
            OptionDef.bool("validate", "validate the XML against the schema"));

    private final CommandDef def;
    private final BiFunction<VnetdApi, String, NetworkSummary> call;
    private final String verb;
    private final String done;

    private NetFromXml(CommandDef def, BiFunction<VnetdApi, String, NetworkSummary> call, String verb, String done) {
        this.def = def;
        this.call = call;
        this.verb = verb;
        this.done = done;
    }

    static NetFromXml define() {
        return new NetFromXml(new CommandDef("net-define", Networks.GROUP,
                "define an inactive persistent virtual network or modify an existing persistent one from an XML file",
                "Define or modify a persistent virtual network.", OPTIONS, true), VnetdApi::define, "define", "defined");
    }

    static NetFromXml create() {
        return new NetFromXml(new CommandDef("net-create", Networks.GROUP, "create a network from an XML file",
                "Create a network.", OPTIONS, true), VnetdApi::create, "create", "created");
    }

    @Override
    public CommandDef def() {
        return def;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        return XmlFiles.submit(s, cmd, call, verb, done);
    }
}
