package org.vnetd.core.firewall;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * What the firewall planner needs to know about one network, as plain data (no XML types): the
 * planner stays testable without the XML model, and the driver builds this from a NetworkDef.
 *
 * @param name        network name, for messages
 * @param bridge      bridge interface name, e.g. virbr0
 * @param mode        forward mode
 * @param forwardDev  {@code <forward dev='…'/>}: the only uplink guests may use, if set
 * @param ips         the {@code <ip>} elements in document order (order decides rule order)
 * @param natAddresses {@code <nat><address/></nat>}, if set
 * @param natPorts    {@code <nat><port/></nat>}, if set (default 1024-65535)
 * @param natIpv6     {@code <nat ipv6='yes'/>}: masquerade IPv6 too instead of routing it
 * @param dnsEnabled  {@code <dns enable='no'/>} turns it off; then no DNS port is opened to the host
 * @param guestIpv6   {@code <network ipv6='yes'>}: guests talk IPv6 among themselves even without an IPv6 address
 */
public record FirewallNetwork(String name, String bridge, ForwardMode mode, Optional<String> forwardDev,
        List<FirewallIp> ips, Optional<NatAddressRange> natAddresses, Optional<PortRange> natPorts,
        boolean natIpv6, boolean dnsEnabled, boolean guestIpv6) {

    /** Interface names that are safe both as nft/iptables chain-name parts and inside quotes. */
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    public FirewallNetwork {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(forwardDev, "forwardDev");
        Objects.requireNonNull(natAddresses, "natAddresses");
        Objects.requireNonNull(natPorts, "natPorts");
        ips = List.copyOf(ips);
        checkIfName(name, "bridge", bridge);
        forwardDev.ifPresent(dev -> checkIfName(name, "forward dev", dev));
    }

    /** A NAT network with defaults, handy for tests and the common case. */
    public static FirewallNetwork nat(String name, String bridge, List<FirewallIp> ips) {
        return new FirewallNetwork(name, bridge, ForwardMode.NAT, Optional.empty(), ips, Optional.empty(),
                Optional.empty(), false, true, false);
    }

    public FirewallNetwork withMode(ForwardMode newMode) {
        return new FirewallNetwork(name, bridge, newMode, forwardDev, ips, natAddresses, natPorts, natIpv6,
                dnsEnabled, guestIpv6);
    }

    public List<FirewallIp> ips(Family family) {
        return ips.stream().filter(ip -> ip.family() == family).toList();
    }

    private static void checkIfName(String network, String what, String value) {
        if (value == null || !IFNAME.matcher(value).matches()) {
            throw VnetException.of(ErrorCode.XML_VALIDATION,
                    "network '%s': %s name '%s' must be 1-15 characters of A-Z a-z 0-9 _ . -", network, what, value);
        }
    }
}
