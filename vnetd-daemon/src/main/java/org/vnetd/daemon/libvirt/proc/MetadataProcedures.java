package org.vnetd.daemon.libvirt.proc;

import static org.vnetd.daemon.libvirt.proc.Procedure.Access.READ;
import static org.vnetd.daemon.libvirt.proc.Procedure.Access.WRITE;
import static org.vnetd.daemon.libvirt.proc.Procedure.RunsOn.WORKER;

import java.util.List;
import java.util.Optional;

import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.daemon.libvirt.wire.LibvirtErrors;
import org.vnetd.daemon.libvirt.wire.LibvirtFault;
import org.vnetd.daemon.libvirt.xdr.XdrReader;

/**
 * virNetworkSetMetadata and virNetworkGetMetadata (libvirt 9.7) over the driver's metadata calls, the
 * same ones the JSON RPC's {@code network.setMetadata}/{@code network.getMetadata} use. The driver emits
 * the metadata-change event that {@link EventProcedures} relays.
 */
public final class MetadataProcedures {
    public static final int NETWORK_SET_METADATA = 444;
    public static final int NETWORK_GET_METADATA = 445;

    /** virNetworkMetadataType 0..2, in libvirt's order, as the driver names them. */
    static final List<String> TYPES = List.of("description", "title", "element");
    static final long AFFECT_LIVE = NetworkProcedures.UPDATE_LIVE;
    static final long AFFECT_CONFIG = NetworkProcedures.UPDATE_CONFIG;
    static final int STRING_MAX = RemoteNetwork.STRING_MAX;

    record Set(RemoteNetwork net, int type, Optional<String> metadata, Optional<String> key, Optional<String> uri, long flags) {
    }

    record Get(RemoteNetwork net, int type, Optional<String> uri, long flags) {
    }

    private final NetworkDriver driver;
    private final NetworkHandles handles;

    public MetadataProcedures(NetworkDriver driver) {
        this.driver = driver;
        this.handles = new NetworkHandles(driver);
    }

    public List<Procedure<?, ?>> all() {
        return List.of(
                new Procedure<>(NETWORK_SET_METADATA, "virNetworkSetMetadata", WRITE, WORKER,
                        in -> new Set(RemoteNetwork.read(in), in.readInt(), string(in), string(in), string(in), in.readUnsignedInt()),
                        (s, a) -> {
                            set(a);
                            return null;
                        }, Procedure::nothing),
                new Procedure<>(NETWORK_GET_METADATA, "virNetworkGetMetadata", READ, WORKER,
                        in -> new Get(RemoteNetwork.read(in), in.readInt(), string(in), in.readUnsignedInt()), (s, a) -> get(a),
                        (w, md) -> w.writeString(md, STRING_MAX)));
    }

    private void set(Set a) {
        LibvirtFault.checkFlags(a.flags(), AFFECT_LIVE | AFFECT_CONFIG, "virNetworkObjSetMetadata");
        String type = type(a.type());
        NetworkSummary n = handles.find(a.net());
        driver.setMetadata(n.uuid(), type, a.metadata().orElse(null), a.key().orElse(null), a.uri().orElse(null),
                (a.flags() & AFFECT_LIVE) != 0, (a.flags() & AFFECT_CONFIG) != 0);
    }

    /** virNetworkObjGetMetadata: one copy (live, config, or the current one when neither flag is given). */
    private String get(Get a) {
        LibvirtFault.checkFlags(a.flags(), AFFECT_LIVE | AFFECT_CONFIG, "virNetworkObjGetMetadata");
        if ((a.flags() & AFFECT_LIVE) != 0 && (a.flags() & AFFECT_CONFIG) != 0) {
            throw new LibvirtFault(LibvirtErrors.INVALID_ARG, LibvirtErrors.FROM_NETWORK,
                    "invalid argument: Flags 'VIR_NETWORK_UPDATE_AFFECT_LIVE' and 'VIR_NETWORK_UPDATE_AFFECT_CONFIG' are mutually exclusive");
        }
        String type = type(a.type());
        NetworkSummary n = handles.find(a.net());
        if ((a.flags() & AFFECT_LIVE) != 0 && !n.active()) {
            throw VnetException.of(ErrorCode.NETWORK_INACTIVE, "Requested operation is not valid: network '%s' is not running", n.name());
        }
        if ((a.flags() & AFFECT_CONFIG) != 0 && !n.persistent()) {
            throw VnetException.of(ErrorCode.INVALID_ARGUMENT,
                    "Requested operation is not valid: cannot change persistent config of a transient network");
        }
        return driver.getMetadata(n.uuid(), type, a.uri().orElse(null), (a.flags() & AFFECT_CONFIG) != 0)
                .orElseThrow(() -> new LibvirtFault(LibvirtErrors.NO_NETWORK_METADATA, LibvirtErrors.FROM_NETWORK,
                        "metadata not found: Requested metadata element is not present"));
    }

    private static String type(int type) {
        if (type < 0 || type >= TYPES.size()) {
            throw new LibvirtFault(LibvirtErrors.INVALID_ARG, LibvirtErrors.FROM_NETWORK,
                    "invalid argument: unknown metadata type '" + type + "'");
        }
        return TYPES.get(type);
    }

    private static Optional<String> string(XdrReader in) {
        return in.readOptional(r -> r.readString(STRING_MAX));
    }
}
