package org.vnetd.core.firewall;

/** The address family a rule applies to (libvirt's ip/ip6 tables, iptables/ip6tables). */
public enum Family {
    IPV4("ipv4", "ip", "iptables"),
    IPV6("ipv6", "ip6", "ip6tables");

    private final String nfproto;
    private final String nftKeyword;
    private final String iptablesCommand;

    Family(String nfproto, String nftKeyword, String iptablesCommand) {
        this.nfproto = nfproto;
        this.nftKeyword = nftKeyword;
        this.iptablesCommand = iptablesCommand;
    }

    /** {@code ipv4}/{@code ipv6}, as in nft's {@code meta nfproto}. */
    public String nfproto() {
        return nfproto;
    }

    /** {@code ip}/{@code ip6}, as in nft's {@code ip saddr}. */
    public String nftKeyword() {
        return nftKeyword;
    }

    public String iptablesCommand() {
        return iptablesCommand;
    }
}
