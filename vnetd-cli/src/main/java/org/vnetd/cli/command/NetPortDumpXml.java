package org.vnetd.cli.command;

import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

/** net-port-dumpxml: the port's {@code <networkport>} XML, with the same --xpath/--wrap as net-dumpxml. */
public final class NetPortDumpXml implements Command {
    static final CommandDef DEF = new CommandDef("net-port-dumpxml", Networks.GROUP,
            "network port information in XML", "Output the network port information as an XML dump to stdout.",
            List.of(Networks.NETWORK, Ports.PORT,
                    OptionDef.string("xpath", "xpath expression to filter the XML document"),
                    OptionDef.bool("wrap", "wrap xpath results in an common root element")), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        String network = cmd.required("network");
        String port = cmd.required("port");
        String xml;
        try {
            xml = s.api().portXml(network, port);
        } catch (VnetException e) {
            return Ports.failed(s, network, port, e, "failed to get XML of network port " + port);
        }
        return NetDumpXml.print(s, xml, cmd.string("xpath").filter(x -> !x.isEmpty()), cmd.flag("wrap"));
    }
}
