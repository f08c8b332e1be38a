package org.vnetd.daemon.driver;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.vnetd.core.driver.NetworkStep;
import org.vnetd.core.driver.ServiceConfigs;
import org.vnetd.core.driver.StartPlanner;
import org.vnetd.core.firewall.FirewallBackend;
import org.vnetd.core.firewall.FirewallPlanner;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.link.RouteSpec;
import org.vnetd.core.link.Sysctl;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.tftp.TftpConfig;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.RouteDef;

/**
 * The real apply side: plans a start as netlink, sysctl, firewall and service steps, in libvirt's
 * order (bridge → firewall → addresses → up → routes → forwarding → DNS → TFTP → DHCP).
 */
public final class KernelPlanner implements StartPlanner {
    private final LinkBackend links;
    private final Sysctl sysctl;
    private final FirewallStep.Rules firewall;
    private final FirewallPlanner firewallPlanner = new FirewallPlanner();
    private final NetworkServices services;

    public KernelPlanner(LinkBackend links, Sysctl sysctl, FirewallBackend firewall, NetworkServices services) {
        this.links = links;
        this.sysctl = sysctl;
        this.firewall = new FirewallStep.Rules(firewall);
        this.services = services;
    }

    @Override
    public List<NetworkStep> plan(NetworkDef def) {
        List<NetworkStep> steps = new ArrayList<>();
        if (!def.forwardMode().hasBridge()) {
            return steps; // bridge/passthrough modes use the host's devices: nothing of ours to create
        }
        String bridge = def.bridgeName().orElseThrow();
        steps.add(new LinkSteps.Bridge(links, LinkSteps.bridgeSpec(def)));
        steps.add(new FirewallStep(firewall, firewallPlanner.plan(ServiceConfigs.firewall(def))));
        for (IpDef ip : def.ips()) {
            steps.add(new LinkSteps.Address(links, bridge, ip.prefix()));
        }
        steps.add(new LinkSteps.Up(links, bridge));
        for (RouteDef r : def.getRoutes()) {
            steps.add(new LinkSteps.Route(links, route(r)));
        }
        steps.add(SysctlStep.of(sysctl, def));
        if (ServiceConfigs.dnsEnabled(def) && !def.ips().isEmpty()) {
            steps.add(new ServiceSteps.Dns(services, def));
        }
        // TFTP before DHCP: once a guest is told its next-server, that server answers
        TftpConfig.of(def).ifPresent(cfg -> steps.add(new ServiceSteps.Tftp(services, def, cfg)));
        ServiceConfigs.dhcp(def).ifPresent(cfg -> steps.add(new ServiceSteps.Dhcp(services, def, cfg)));
        return steps;
    }

    private static RouteSpec route(RouteDef r) {
        InetAddress dest = IpAddresses.parse(r.getAddress());
        int len;
        if (r.getPrefix() != null) {
            len = Integer.parseInt(r.getPrefix());
        } else if (r.getNetmask() != null) {
            len = Long.bitCount(IpAddresses.toInt((java.net.Inet4Address) IpAddresses.parse(r.getNetmask())) & 0xffffffffL);
        } else {
            len = IpPrefix.maxLength(dest);
        }
        RouteSpec spec = new RouteSpec(new IpPrefix(dest, len).networkPrefix(), Optional.of(IpAddresses.parse(r.getGateway())),
                Optional.empty(), OptionalInt.empty());
        return r.getMetric() == null ? spec : spec.withMetric(Integer.parseInt(r.getMetric()));
    }

    @Override
    public void liveUpdate(NetworkDef oldDef, NetworkDef newDef, String section) {
        services.reconfigure(newDef);
    }
}
