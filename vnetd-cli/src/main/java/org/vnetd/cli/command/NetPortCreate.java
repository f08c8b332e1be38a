package org.vnetd.cli.command;

import java.util.List;
import java.util.Optional;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import org.vnetd.cli.Session;
import org.vnetd.cli.output.XmlDump;
import org.vnetd.core.rpc.Port;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.Request;

/**
 * net-port-create: reads libvirt's {@code <networkport>} XML and asks the daemon for the port. The RPC takes
 * parameters rather than XML, so the MAC ({@code <mac address>}), the portgroup ({@code <group>}) and a tap
 * name ({@code <plug dev>}) are taken from the document.
 */
public final class NetPortCreate implements Command {
    static final CommandDef DEF = new CommandDef("net-port-create", Networks.GROUP,
            "create a network port from an XML file", "Create a network port.", List.of(
            Networks.NETWORK,
            OptionDef.data("file", "file containing an XML network port description"),
            OptionDef.bool("validate", "validate the XML against the schema")), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        String network = cmd.required("network");
        String file = cmd.required("file");
        Optional<String> xml = XmlFiles.read(s, file);
        if (xml.isEmpty()) {
            return false;
        }
        Port port;
        try {
            port = s.api().createPort(request(network, xml.get()));
        } catch (VnetException e) {
            return Networks.failed(s, network, e, "Failed to create network from " + file);
        }
        s.printExtra("Network port " + port.uuid() + " created from " + file + "\n");
        return true;
    }

    static Request.PortCreate request(String network, String xml) {
        Document doc = XmlDump.parse(xml);
        Element root = doc.getDocumentElement();
        if (!root.getTagName().equals("networkport")) {
            throw new VnetException(ErrorCode.XML_PARSE,
                    "XML error: expected root element <networkport>, found <" + root.getTagName() + ">");
        }
        String mac = child(root, "mac").map(m -> m.getAttribute("address")).orElse("");
        if (mac.isEmpty()) {
            throw new VnetException(ErrorCode.XML_VALIDATION,
                    "XML error: <networkport> needs <mac address='…'/>");
        }
        String portgroup = child(root, "group").map(Node::getTextContent).filter(g -> !g.isBlank()).map(String::trim)
                .orElse(null);
        String tap = child(root, "plug").map(e -> e.getAttribute("dev")).filter(d -> !d.isEmpty()).orElse(null);
        return new Request.PortCreate(network, mac, null, null, tap, false, 1, false, portgroup, false, null, null, null,
                null);
    }

    private static Optional<Element> child(Element parent, String tag) {
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e && e.getTagName().equals(tag)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
