/**
 * Applying firewall plans: {@link org.vnetd.daemon.firewall.NftablesBackend} (one {@code nft -f -}
 * per change), {@link org.vnetd.daemon.firewall.IptablesBackend} (iptables-save plus one
 * iptables-restore per family and change), {@link org.vnetd.daemon.firewall.FirewallBackends#choose}
 * for the config's {@code firewall_backend}, and {@link org.vnetd.daemon.firewall.FirewallDoctor}
 * for {@code vnetctl doctor}. Commands go through an injected
 * {@link org.vnetd.daemon.firewall.CommandRunner}, so tests run the same code in a namespace.
 */
package org.vnetd.daemon.firewall;
