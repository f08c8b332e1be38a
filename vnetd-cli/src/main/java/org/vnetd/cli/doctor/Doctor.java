package org.vnetd.cli.doctor;

import java.util.ArrayList;
import java.util.List;

import org.vnetd.core.error.VnetException;

/** Runs every check and collects the findings; a check that itself fails becomes a WARN finding, not a crash. */
public final class Doctor {
    private final HostProbe host;
    private final List<Check> checks;

    public Doctor(HostProbe host, List<Check> checks) {
        this.host = host;
        this.checks = List.copyOf(checks);
    }

    public static Doctor standard(HostProbe host, long nowEpochSeconds, FirewallDiagnostics firewall) {
        return new Doctor(host, List.of(new IpForwardCheck(), new Ipv6AcceptRaCheck(), new BrNetfilterCheck(), new RouteOverlapCheck(),
                new LinkCheck(), new ServiceHealthCheck(), new DhcpPoolCheck(nowEpochSeconds), new LibvirtSocketCheck(),
                new LibvirtBridgeCheck(), new LibvirtFirewalldCheck(), new OvnCheck(), firewall));
    }

    public List<Finding> examine(List<NetworkFacts> networks) {
        List<Finding> all = new ArrayList<>();
        for (Check c : checks) {
            try {
                all.addAll(c.run(host, networks));
            } catch (VnetException | IllegalArgumentException e) {
                all.add(new Finding(c.getClass().getSimpleName(), Severity.WARN, "check could not run",
                        e.getMessage(), "run vnetctl doctor as root, with iproute2 installed"));
            }
        }
        return all;
    }
}
