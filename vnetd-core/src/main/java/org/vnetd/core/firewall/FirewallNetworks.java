package org.vnetd.core.firewall;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NatAddressDef;
import org.vnetd.core.xml.model.NatDef;
import org.vnetd.core.xml.model.NatPortDef;
import org.vnetd.core.xml.model.NetworkDef;

/** Builds the planner's input from a parsed (and validated) network definition. */
public final class FirewallNetworks {
    private FirewallNetworks() {
    }

    /**
     * The firewall view of {@code def}. Only virtual networks (nat, route, open, none) have
     * firewall rules; the bridge name must be set (the driver assigns virbrN before starting).
     */
    public static FirewallNetwork from(NetworkDef def) {
        String name = def.name();
        ForwardMode mode = switch (def.forwardMode()) {
            case NAT -> ForwardMode.NAT;
            case ROUTE -> ForwardMode.ROUTE;
            case OPEN -> ForwardMode.OPEN;
            case NONE -> ForwardMode.ISOLATED;
            default -> throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED,
                    "network '%s': forward mode '%s' uses no vnetd firewall rules", name, def.forwardMode().xmlName());
        };
        String bridge = def.bridgeName().orElseThrow(() -> VnetException.of(ErrorCode.XML_VALIDATION,
                "network '%s' has no bridge name; one must be assigned before its firewall is planned", name));
        List<FirewallIp> ips = new ArrayList<>();
        for (IpDef ip : def.ips()) {
            ips.add(new FirewallIp(ip.prefix(), ip.hasDhcp(), ip.getTftp() != null));
        }
        NatDef nat = def.nat();
        Optional<NatAddressRange> addresses = Optional.empty();
        Optional<PortRange> ports = Optional.empty();
        boolean natIpv6 = false;
        if (nat != null) {
            natIpv6 = "yes".equals(nat.getIpv6());
            if (!nat.getAddresses().isEmpty()) {
                NatAddressDef a = nat.getAddresses().get(0);
                addresses = Optional.of(new NatAddressRange(IpAddresses.parse(a.getStart()),
                        Optional.ofNullable(a.getEnd()).filter(e -> !e.isBlank()).map(IpAddresses::parse)));
            }
            if (!nat.getPorts().isEmpty()) {
                NatPortDef p = nat.getPorts().get(0);
                ports = Optional.of(new PortRange(Integer.parseInt(p.getStart()), Integer.parseInt(p.getEnd())));
            }
        }
        boolean dns = def.getDns() == null || !"no".equals(def.getDns().getEnable());
        boolean guestIpv6 = "yes".equals(def.getIpv6());
        return new FirewallNetwork(name, bridge, mode, def.forwardDev(), ips, addresses, ports, natIpv6, dns, guestIpv6);
    }
}
