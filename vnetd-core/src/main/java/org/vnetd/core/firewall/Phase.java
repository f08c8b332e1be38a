package org.vnetd.core.firewall;

/**
 * Where a rule is evaluated. The three forward phases run in the order CROSS, GUEST_IN, GUEST_OUT
 * for every packet (libvirt's guest_cross, guest_input, guest_output), over all networks; that
 * order matters: a packet from one bridge to another must meet the receiving network's
 * "established only" rule before the sending network's "allow out" rule.
 */
public enum Phase {
    /** Between two ports of the same bridge (libvirt guest_cross / LIBVIRT_FWX). */
    CROSS("x", "FWX", "filter"),
    /** Forwarded towards the bridge (guest_input / LIBVIRT_FWI). */
    GUEST_IN("in", "FWI", "filter"),
    /** Forwarded from the bridge (guest_output / LIBVIRT_FWO). */
    GUEST_OUT("out", "FWO", "filter"),
    /** Source NAT in postrouting (guest_nat / nat LIBVIRT_PRT). */
    NAT("nat", "PRT", "nat"),
    /** Packet fix-ups in postrouting (postroute_mangle / mangle LIBVIRT_PRT). */
    MANGLE("mangle", "PRT", "mangle"),
    /** Host input from guests (LIBVIRT_INP); iptables only, see {@link NftablesRenderer}. */
    HOST_IN("hin", "INP", "filter"),
    /** Host output to guests (LIBVIRT_OUT); iptables only. */
    HOST_OUT("hout", "OUT", "filter"),
    /**
     * Host input to the network's own addresses that did not come in through its bridge (or lo): DNS,
     * DHCP and TFTP dropped, behind the services' own binding to the bridge (vnetd's own; libvirt
     * relies on dnsmasq alone). In iptables its chain comes before every network's HOST_IN accepts.
     */
    HOST_GUARD("guard", "GRD", "filter");

    private final String nftSuffix;
    private final String iptablesSuffix;
    private final String iptablesTable;

    Phase(String nftSuffix, String iptablesSuffix, String iptablesTable) {
        this.nftSuffix = nftSuffix;
        this.iptablesSuffix = iptablesSuffix;
        this.iptablesTable = iptablesTable;
    }

    public String nftSuffix() {
        return nftSuffix;
    }

    public String iptablesSuffix() {
        return iptablesSuffix;
    }

    public String iptablesTable() {
        return iptablesTable;
    }

    /** HOST_IN and HOST_OUT: libvirt's accepts towards the host, which nft does not render (see {@link NftablesRenderer}). */
    public boolean hostFacing() {
        return this == HOST_IN || this == HOST_OUT;
    }
}
