package org.vnetd.cli.doctor;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.vnetd.core.rpc.Lease;
import org.vnetd.core.net.IpAddresses;

/** A DHCP range at or near exhaustion: new guests get no address. Warns from 90 % of the pool. */
public final class DhcpPoolCheck implements Check {
    private final long nowEpochSeconds;

    public DhcpPoolCheck(long nowEpochSeconds) {
        this.nowEpochSeconds = nowEpochSeconds;
    }

    @Override
    public List<Finding> run(HostProbe host, List<NetworkFacts> networks) {
        List<Finding> out = new ArrayList<>();
        for (NetworkFacts n : networks) {
            if (n.dhcpRanges().isEmpty() || !n.summary().active()) {
                continue;
            }
            BigInteger size = BigInteger.ZERO;
            for (NetworkFacts.Range r : n.dhcpRanges()) {
                size = size.add(r.size());
            }
            long used = n.leases().stream().filter(this::current).filter(l -> inRange(n, l)).count();
            double pct = size.signum() == 0 ? 100 : 100.0 * used / size.doubleValue();
            String summary = String.format("DHCP pool of '%s': %d of %s addresses leased (%.0f%%)", n.name(), used,
                    size, pct);
            if (pct >= 100) {
                out.add(new Finding("dhcp-pool", Severity.FAIL, summary, "new guests get no address",
                        "widen the range: vnetctl net-update " + n.name() + " modify ip-dhcp-range"
                                + " \"<range start='…' end='…'/>\", or shorten the lease time"));
            } else if (pct >= 90) {
                out.add(new Finding("dhcp-pool", Severity.WARN, summary, "the pool is close to running out",
                        "widen the range with vnetctl net-update " + n.name() + " modify ip-dhcp-range …"));
            } else {
                out.add(Finding.ok("dhcp-pool", summary));
            }
        }
        return out;
    }

    private boolean current(Lease l) {
        return l.expiryTime() == 0 || l.expiryTime() > nowEpochSeconds;
    }

    private static boolean inRange(NetworkFacts n, Lease l) {
        if (l.ipAddress() == null) {
            return false;
        }
        BigInteger a = IpAddresses.toBigInteger(IpAddresses.parse(l.ipAddress()));
        return n.dhcpRanges().stream().anyMatch(r -> r.contains(a));
    }
}
