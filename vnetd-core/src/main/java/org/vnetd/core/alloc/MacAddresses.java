package org.vnetd.core.alloc;

import java.util.random.RandomGenerator;

import org.vnetd.core.net.MacAddress;

/** MAC addresses libvirt derives: the host side of a guest's tap, and random {@code 52:54:00} ones. */
public final class MacAddresses {
    /**
     * First octet of a tap's MAC: a high value keeps the bridge (which takes the numerically lowest port
     * MAC when it has none of its own) from adopting a tap's address.
     */
    public static final int TAP_FIRST_OCTET = 0xfe;
    /** Used when the guest's own MAC already starts with 0xfe, so host and guest side differ. */
    public static final int TAP_FIRST_OCTET_ALT = 0xfa;

    private MacAddresses() {
    }

    /** The host-side tap MAC for a guest MAC: the guest's address with its first octet replaced. */
    public static MacAddress tapMacFor(MacAddress guest) {
        int first = guest.firstOctet() == TAP_FIRST_OCTET ? TAP_FIRST_OCTET_ALT : TAP_FIRST_OCTET;
        return guest.withFirstOctet(first);
    }

    /** A random {@code 52:54:00:xx:xx:xx} address (QEMU's prefix, as libvirt generates). */
    public static MacAddress randomLibvirt(RandomGenerator random) {
        return MacAddress.randomLibvirt(random);
    }
}
