package org.vnetd.daemon.netlink;

/** libvirt's macvtap mode names and the kernel's MACVLAN_MODE_* bits (linux/if_link.h). */
final class MacvlanModes {
    private MacvlanModes() {
    }

    static int bits(String mode) {
        return switch (mode) {
            case "private" -> 1;
            case "vepa" -> 2;
            case "bridge" -> 4;
            case "passthrough" -> 8;
            default -> throw new IllegalArgumentException("unknown macvtap mode '" + mode + "'");
        };
    }
}
