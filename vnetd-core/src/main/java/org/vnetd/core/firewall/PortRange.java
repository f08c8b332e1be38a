package org.vnetd.core.firewall;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** A source port range for NAT, {@code <nat><port start='1024' end='65535'/></nat>}. */
public record PortRange(int start, int end) {
    /** libvirt's default: guests never get a privileged source port (NFS trusts ports below 1024). */
    public static final PortRange UNPRIVILEGED = new PortRange(1024, 65535);

    public PortRange {
        // libvirt refuses start >= end as well ("Invalid port range")
        if (start < 0 || end > 65535 || start >= end) {
            throw VnetException.of(ErrorCode.XML_VALIDATION, "invalid NAT port range '%d-%d'", start, end);
        }
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
