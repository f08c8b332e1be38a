package org.vnetd.core.ovn;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

import org.vnetd.core.net.IpPrefix;

/**
 * What one vnetd network is in OVN's northbound database, derived from its definition alone (so every
 * host that defines the same network derives the same rows): the logical switch and its subnet, the
 * DHCP options and reservations, the DNS records, and for {@code nat}/{@code route} the router.
 *
 * @param excludeIps the switch's {@code other_config:exclude_ips}: the gateway, what lies outside the
 *        DHCP ranges, and the reservations, so OVN's dynamic addressing only hands out the ranges
 * @param dhcpOptions DHCP_Options' {@code options}, empty when the network has no DHCP
 * @param reservations MAC (lower case) to reserved address, from {@code <dhcp><host mac ip>}
 * @param dnsRecords name to addresses (blank-separated), from {@code <dns><host>} and named reservations
 */
public record OvnNetwork(String uuid, String name, String switchName, IpPrefix subnet, String excludeIps,
        SequencedMap<String, String> dhcpOptions, Map<String, String> reservations, SequencedMap<String, String> dnsRecords,
        Optional<OvnRouter> router, List<String> northbound) {
}
