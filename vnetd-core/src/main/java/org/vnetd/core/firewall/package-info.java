/**
 * Firewall planning: libvirt's NAT, routed, open and isolated rules as data, rendered for nftables
 * and iptables. Pure logic; the daemon's {@code org.vnetd.daemon.firewall} applies the result.
 *
 * <p>Flow for the driver: {@link org.vnetd.core.firewall.FirewallNetworks#from} (NetworkDef to
 * {@link org.vnetd.core.firewall.FirewallNetwork}) then {@link org.vnetd.core.firewall.FirewallPlanner#plan}
 * gives a {@link org.vnetd.core.firewall.FirewallPlan}; keep that plan with the network's status
 * (it is what was applied) and hand it to a {@link org.vnetd.core.firewall.FirewallBackend}:
 * {@code apply} on start, {@code remove} on destroy, {@code update(old, new)} when the definition
 * changed while running, {@code reapply(all running)} on daemon start and {@code firewall-reload}.
 *
 * <p>Semantics follow libvirt's src/network/network_nftables.c and network_iptables.c rule for
 * rule (checked against every networkxml2firewalldata fixture by NetworkXml2FirewallTest), plus
 * one addition of vnetd's own, {@link org.vnetd.core.firewall.Phase#HOST_GUARD}: DNS, DHCP and TFTP
 * to a network's addresses only from its bridge or the host (libvirt leaves that to dnsmasq); the
 * nftables layout differs on purpose: one {@code inet vnetd} table, per-network chains reached
 * through verdict maps, every change one transaction (see {@link org.vnetd.core.firewall.NftablesRenderer}).
 */
package org.vnetd.core.firewall;
