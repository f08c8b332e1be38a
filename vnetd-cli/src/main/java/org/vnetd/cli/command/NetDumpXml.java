package org.vnetd.cli.command;

import java.util.List;
import java.util.Optional;

import org.vnetd.cli.Session;
import org.vnetd.cli.output.XmlDump;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

/** net-dumpxml: the daemon's XML as is, or the nodes an XPath selects (JDK XPath), optionally wrapped. */
public final class NetDumpXml implements Command {
    static final CommandDef DEF = new CommandDef("net-dumpxml", Networks.GROUP, "network information in XML",
            "Output the network information as an XML dump to stdout.", List.of(
            Networks.NETWORK,
            OptionDef.bool("inactive", "show inactive defined XML"),
            OptionDef.string("xpath", "xpath expression to filter the XML document"),
            OptionDef.bool("wrap", "wrap xpath results in an common root element")), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        String name = cmd.required("network");
        String xml;
        try {
            xml = s.api().xml(name, cmd.flag("inactive"));
        } catch (VnetException e) {
            return Networks.failed(s, name, e, "failed to get XML of network " + name);
        }
        return print(s, xml, cmd.string("xpath").filter(x -> !x.isEmpty()), cmd.flag("wrap"));
    }

    /** Shared with net-port-dumpxml. */
    static boolean print(Session s, String xml, Optional<String> xpath, boolean wrap) {
        if (xpath.isEmpty()) {
            s.print(xml.endsWith("\n") ? xml : xml + "\n");
            return true;
        }
        try {
            s.print(XmlDump.select(xml, xpath.get(), wrap));
            return true;
        } catch (VnetException e) {
            s.report(e);
            return false;
        }
    }
}
