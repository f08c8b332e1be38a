package org.vnetd.cli.command;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.vnetd.cli.Session;
import org.vnetd.cli.output.VshTable;
import org.vnetd.core.rpc.Lease;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

/** net-dhcp-leases: the embedded DHCP server's leases in virsh's table, sorted by MAC, times in local time. */
public final class NetDhcpLeases implements Command {
    static final CommandDef DEF = new CommandDef("net-dhcp-leases", Networks.GROUP,
            "print lease info for a given network", "Print lease info for a given network", List.of(
            Networks.NETWORK, OptionDef.positionalString("mac", "MAC address")), true);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        Optional<String> mac = cmd.nonEmpty("mac");
        String name = cmd.required("network");
        List<Lease> leases;
        try {
            leases = s.api().leases(name, mac.orElse(null));
        } catch (VnetException e) {
            return Networks.failed(s, name, e, "Failed to get leases info for " + name);
        }
        List<Lease> sorted = leases.stream()
                .filter(l -> mac.isEmpty() || mac.get().equalsIgnoreCase(l.mac()))
                .sorted(Comparator.comparing(l -> l.mac() == null ? "" : l.mac(), String.CASE_INSENSITIVE_ORDER))
                .toList();
        if (s.json()) {
            JsonOut.print(s, sorted);
            return true;
        }
        VshTable table = new VshTable("Expiry Time", "MAC address", "Protocol", "IP address", "Hostname",
                "Client ID or DUID");
        for (Lease l : sorted) {
            String expiry = TIME.format(Instant.ofEpochSecond(l.expiryTime()).atZone(s.zone()));
            table.row(expiry, dash(l.mac()), dash(l.protocol()),
                    l.ipAddress() == null ? "-" : l.ipAddress() + "/" + l.prefix(),
                    dash(l.hostname()), dash(l.clientId()));
        }
        s.print(table.render(!s.quiet()));
        return true;
    }

    private static String dash(String v) {
        return v == null ? "-" : v;
    }
}
