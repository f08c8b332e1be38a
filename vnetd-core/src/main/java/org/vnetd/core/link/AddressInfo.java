package org.vnetd.core.link;

import java.net.InetAddress;
import java.util.Optional;

import org.vnetd.core.net.IpPrefix;

/**
 * An address the kernel reports. {@code flags} are IFA_F_* (from IFA_FLAGS when present), {@code scope}
 * is RT_SCOPE_* (0 global, 253 link, 254 host).
 */
public record AddressInfo(int index, String ifname, IpPrefix prefix, Optional<InetAddress> broadcast, int flags,
        int scope, Optional<String> label) {
    /** IFA_F_NODAD. */
    public static final int IFA_F_NODAD = 0x02;
    /** IFA_F_PERMANENT: configured, not learned. */
    public static final int IFA_F_PERMANENT = 0x80;

    public boolean noDad() {
        return (flags & IFA_F_NODAD) != 0;
    }
}
