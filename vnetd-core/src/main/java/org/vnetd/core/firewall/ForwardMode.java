package org.vnetd.core.firewall;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** The forward modes that decide a network's firewall rules (libvirt's {@code <forward mode=…>}). */
public enum ForwardMode {
    /** Masquerade (or SNAT) IPv4 to the outside; IPv6 is routed unless {@code <nat ipv6='yes'/>}. */
    NAT,
    /** Route without address translation; the outside may open connections to guests. */
    ROUTE,
    /** No firewall rules at all: the host's own firewall decides. */
    OPEN,
    /** No {@code <forward>} element: guests reach each other and the host, nothing else. */
    ISOLATED;

    /** Maps libvirt's attribute value; a missing {@code <forward>} element is {@link #ISOLATED}. */
    public static ForwardMode fromLibvirt(String mode) {
        if (mode == null || mode.isEmpty() || mode.equals("nat")) {
            return NAT;
        }
        return switch (mode) {
            case "route" -> ROUTE;
            case "open" -> OPEN;
            case "none", "isolated" -> ISOLATED;
            default -> throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED,
                    "forward mode '%s' has no firewall rules in vnetd (nat, route, open or none)", mode);
        };
    }
}
