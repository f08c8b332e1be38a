package org.vnetd.daemon.libvirt.proc;

import java.util.UUID;

import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.NetworkSummary;

/** A network handle a client holds, resolved as libvirt's networkObjFromNetwork does: by UUID, the error naming both. */
final class NetworkHandles {
    private final NetworkDriver driver;

    NetworkHandles(NetworkDriver driver) {
        this.driver = driver;
    }

    /** The driver's handle for a network: its UUID. */
    static String id(RemoteNetwork n) {
        return n.uuid().toString();
    }

    NetworkSummary find(RemoteNetwork n) {
        try {
            NetworkSummary s = driver.lookup(id(n));
            if (UUID.fromString(s.uuid()).equals(n.uuid())) {
                return s;
            }
        } catch (VnetException e) {
            if (e.code() != ErrorCode.NO_SUCH_NETWORK) {
                throw e;
            }
        }
        throw VnetException.of(ErrorCode.NO_SUCH_NETWORK, n.name() == null
                ? "Network not found: no network with matching uuid '%s'"
                : "Network not found: no network with matching uuid '%s' (%s)", n.uuid(), n.name());
    }

    /** As {@link #find}, and refused unless running (libvirt's port calls need an active network). */
    NetworkSummary findActive(RemoteNetwork n) {
        NetworkSummary s = find(n);
        if (!s.active()) {
            throw VnetException.of(ErrorCode.NETWORK_INACTIVE, "Requested operation is not valid: network '%s' is not active", s.name());
        }
        return s;
    }
}
