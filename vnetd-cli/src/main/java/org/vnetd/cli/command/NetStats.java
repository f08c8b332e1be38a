package org.vnetd.cli.command;

import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.ServiceStats;

/**
 * net-stats (vnetd extra): the counters of a running network's guest services (network.serviceStats),
 * in net-info's {@code "%-15s %s"} lines, one per running service; what was dropped and why is where an
 * operator looks when a guest gets no address.
 */
public final class NetStats implements Command {
    static final CommandDef DEF = new CommandDef("net-stats", "vnetd", "guest service counters of a network",
            "Prints what the DHCP and DHCPv6 servers and the router advertisements of a running network received, "
                    + "answered and dropped since they started.",
            List.of(Networks.NETWORK), true);

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        String name = cmd.required("network");
        ServiceStats st;
        try {
            st = s.api().serviceStats(name);
        } catch (VnetException e) {
            return Networks.failed(s, name, e, "Failed to get the service counters of " + name);
        }
        if (s.json()) {
            JsonOut.print(s, st);
            return true;
        }
        line(s, "Name:", st.network());
        if (st.dhcp() == null && st.dhcp6() == null && st.ra() == null) {
            line(s, "Services:", "none running");
        }
        if (st.dhcp() != null) {
            ServiceStats.Dhcp d = st.dhcp();
            line(s, "DHCP:", "received " + d.received() + ", malformed " + d.malformed() + ", ignored " + d.ignored()
                    + "; offers " + d.offers() + ", acks " + d.acks() + ", naks " + d.naks());
        }
        if (st.dhcp6() != null) {
            ServiceStats.Dhcp6 d = st.dhcp6();
            line(s, "DHCPv6:", "received " + d.received() + ", malformed " + d.malformed() + ", ignored " + d.ignored());
        }
        if (st.ra() != null) {
            ServiceStats.RouterAdvertisements r = st.ra();
            line(s, "RA:", "sent " + r.advertisementsSent() + ", send failures " + r.sendFailures());
            line(s, "RS:", "answered " + r.solicitationsAnswered() + " (rate-limited " + r.solicitationsRateLimited()
                    + "); dropped: malformed " + r.solicitationsMalformed() + ", invalid " + r.solicitationsInvalid()
                    + ", queue overflow " + r.solicitationsOverflowed());
        }
        return true;
    }

    private static void line(Session s, String label, String value) {
        s.print(label + " ".repeat(Math.max(0, 15 - label.length())) + " " + value + "\n");
    }
}
