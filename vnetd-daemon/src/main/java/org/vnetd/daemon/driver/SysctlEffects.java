package org.vnetd.daemon.driver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.link.Sysctl;
import org.vnetd.core.link.SysctlKey;
import org.vnetd.core.plan.Action;

/**
 * Writes a network's tunables in order. The record keeps the values found before, for diagnosis;
 * nothing is set back on undo (see {@link Action.Sysctls}).
 *
 * <p>Before it turns IPv6 forwarding on, every interface holding routes learned from router
 * advertisements ({@link RaLearnedRoutes}) with {@code accept_ra=1} gets {@code accept_ra=2}: with
 * forwarding on, the kernel would drop those routes at once and ignore the next advertisements, so a
 * host whose uplink gives it its default route by RA would lose IPv6. libvirt refuses to start the
 * network in that case ({@code virNetDevIPCheckIPv6Forwarding}: "Check the host setup"); vnetd keeps
 * the host's routes instead (logged; {@code vnetctl doctor} explains it, check {@code ipv6_accept_ra}).
 */
final class SysctlEffects {
    private static final Logger LOG = LoggerFactory.getLogger(SysctlEffects.class);
    static final SysctlKey IPV6_FORWARDING = SysctlKey.parse("net.ipv6.conf.all.forwarding");

    private final Sysctl sysctl;
    private final RaLearnedRoutes raRoutes;

    SysctlEffects(Sysctl sysctl) {
        this(sysctl, RaLearnedRoutes.ofKernel());
    }

    SysctlEffects(Sysctl sysctl, RaLearnedRoutes raRoutes) {
        this.sysctl = sysctl;
        this.raRoutes = raRoutes;
    }

    Map<String, String> set(Action.Sysctls action) {
        Map<String, String> old = new LinkedHashMap<>();
        for (Action.Sysctls.Setting s : action.settings()) {
            if (s.onlyWherePresent() && !Files.exists(directoryOf(s.key().segments()))) {
                continue; // e.g. disable_ipv6 on a kernel without IPv6
            }
            if (s.key().equals(IPV6_FORWARDING) && "1".equals(s.value()) && !"1".equals(sysctl.read(IPV6_FORWARDING))) {
                keepRaRoutes(old);
            }
            old.put(s.key().toString(), sysctl.set(s.key(), s.value()).oldValue());
        }
        return old;
    }

    private void keepRaRoutes(Map<String, String> old) {
        for (String dev : raRoutes.interfaces()) {
            SysctlKey acceptRa = SysctlKey.ofInterface("ipv6", dev, "accept_ra");
            if ("1".equals(sysctl.read(acceptRa))) {
                old.put(acceptRa.toString(), sysctl.set(acceptRa, "2").oldValue());
                LOG.warn("IPv6 forwarding goes on: accept_ra=2 on {}, whose routes come from router advertisements"
                        + " (with accept_ra=1 the kernel would drop them and ignore the next ones)", dev);
            }
        }
    }

    private static Path directoryOf(List<String> segments) {
        return Path.of("/proc/sys", segments.subList(0, segments.size() - 1).toArray(String[]::new));
    }
}
