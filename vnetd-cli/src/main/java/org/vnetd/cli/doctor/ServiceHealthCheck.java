package org.vnetd.cli.doctor;

import java.util.ArrayList;
import java.util.List;

/**
 * A running network whose in-process services do not all serve (the daemon's {@code degraded}): a DHCP
 * server whose lease log cannot be written withholds every ACK, a service that could not be started
 * again after a daemon restart leaves guests without it. The daemon retries on its own; the reason
 * says what stops it.
 */
public final class ServiceHealthCheck implements Check {
    @Override
    public List<Finding> run(HostProbe host, List<NetworkFacts> networks) {
        List<Finding> out = new ArrayList<>();
        for (NetworkFacts n : networks) {
            if (!n.summary().active()) {
                continue;
            }
            String why = n.summary().degraded();
            if (why == null) {
                out.add(Finding.ok("services", "the services of network '" + n.name() + "' are running"));
            } else {
                out.add(new Finding("services", Severity.FAIL, "network '" + n.name() + "' is degraded", why,
                        "free space (df) or fix what the reason names; vnetd retries by itself and logs when the service"
                                + " serves again (vnetctl net-event --event service-health --loop)"));
            }
        }
        return out;
    }
}
