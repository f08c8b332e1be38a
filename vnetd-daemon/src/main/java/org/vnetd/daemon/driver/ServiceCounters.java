package org.vnetd.daemon.driver;

import org.vnetd.core.dhcp.Decision;
import org.vnetd.core.dhcp.DhcpStats;
import org.vnetd.core.ra.RaStats;
import org.vnetd.core.rpc.ServiceStats;
import org.vnetd.daemon.dhcp.DhcpService;
import org.vnetd.daemon.dhcp6.Dhcp6Service;
import org.vnetd.daemon.dhcp6.Dhcp6Stats;
import org.vnetd.daemon.ra.RaService;

/** One network's service counters as {@code network.serviceStats} shows them, from the services that run. */
final class ServiceCounters {
    private ServiceCounters() {
    }

    /** Each argument null when that service does not run. */
    static ServiceStats of(String network, DhcpService dhcp, Dhcp6Service dhcp6, RaService ra) {
        return new ServiceStats(network, dhcp == null || !dhcp.isRunning() ? null : dhcp(dhcp.stats()),
                dhcp6 == null ? null : dhcp6(dhcp6.stats()), ra == null ? null : ra(ra));
    }

    /**
     * The engine counts a datagram the codec refused only as malformed, and a decoded one that is not a
     * well-formed request as received and ignored for MALFORMED: here both are malformed, and received
     * counts every datagram.
     */
    static ServiceStats.Dhcp dhcp(DhcpStats s) {
        long notRequests = s.ignored(Decision.IgnoreReason.MALFORMED);
        long ignored = s.ignored().values().stream().mapToLong(Long::longValue).sum() - notRequests;
        return new ServiceStats.Dhcp(s.received() + s.malformed(), s.malformed() + notRequests, ignored, s.offers(), s.acks(),
                s.naks());
    }

    private static ServiceStats.Dhcp6 dhcp6(Dhcp6Stats s) {
        return new ServiceStats.Dhcp6(s.received(), s.malformed(), s.ignored());
    }

    private static ServiceStats.RouterAdvertisements ra(RaService ra) {
        RaStats s = ra.stats();
        return new ServiceStats.RouterAdvertisements(s.advertisementsSent(), ra.sendFailures(), s.solicitationsAnswered(),
                s.solicitationsRateLimited(), s.malformed(), s.invalid(), ra.overflowed());
    }
}
