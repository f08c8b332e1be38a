package org.vnetd.daemon.libvirt.proc;

import static org.vnetd.daemon.libvirt.proc.Procedure.Access.READ;
import static org.vnetd.daemon.libvirt.proc.Procedure.Access.WRITE;
import static org.vnetd.daemon.libvirt.proc.Procedure.RunsOn.WORKER;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.qos.Bandwidths;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.daemon.libvirt.wire.LibvirtErrors;
import org.vnetd.daemon.libvirt.wire.LibvirtFault;
import org.vnetd.daemon.port.PortManager;

/**
 * The network-port procedures of libvirt's remote program over vnetd's {@link PortManager} (the one the
 * JSON RPC's {@code port.*} methods use): create as virtqemud does it (its own tap, with or without
 * RECLAIM), listing, lookup, XML, bandwidth parameters (the floor on the bridge, and a vnetd tap's rates) and delete.
 */
public final class PortProcedures {
    public static final int NETWORK_LIST_ALL_PORTS = 404;
    public static final int NETWORK_PORT_LOOKUP_BY_UUID = 405;
    public static final int NETWORK_PORT_CREATE_XML = 406;
    public static final int NETWORK_PORT_GET_PARAMETERS = 407;
    public static final int NETWORK_PORT_SET_PARAMETERS = 408;
    public static final int NETWORK_PORT_GET_XML_DESC = 409;
    public static final int NETWORK_PORT_DELETE = 410;

    /** REMOTE_NETWORK_PORT_LIST_MAX. */
    static final int PORT_LIST_MAX = 16_384;
    /** REMOTE_NETWORK_PORT_PARAMETERS_MAX. */
    static final int PORT_PARAMETERS_MAX = 16;
    static final int STRING_MAX = RemoteNetwork.STRING_MAX;
    /** VIR_NETWORK_PORT_CREATE_RECLAIM: the port already has its plug (a restarted client registers it again). */
    static final long CREATE_RECLAIM = 1;
    /** VIR_NETWORK_PORT_CREATE_VALIDATE: vnetd always validates. */
    static final long CREATE_VALIDATE = 2;

    record ListPorts(RemoteNetwork net, boolean needResults, long flags) {
    }

    record PortList(List<RemotePort> ports, boolean needResults) {
    }

    record PortFlags(RemotePort port, long flags) {
    }

    record Lookup(RemoteNetwork net, UUID uuid) {
    }

    record Create(RemoteNetwork net, String xml, long flags) {
    }

    record SetParams(RemotePort port, Map<String, Object> params, long flags) {
    }

    record GetParams(RemotePort port, int nparams, long flags) {
    }

    private final NetworkHandles handles;
    private final PortManager ports;

    public PortProcedures(NetworkDriver driver, PortManager ports) {
        this.handles = new NetworkHandles(driver);
        this.ports = ports;
    }

    public List<Procedure<?, ?>> all() {
        return List.of(
                new Procedure<>(NETWORK_LIST_ALL_PORTS, "virNetworkListAllPorts", READ, WORKER,
                        in -> new ListPorts(RemoteNetwork.read(in), in.readInt() != 0, in.readUnsignedInt()), (s, a) -> list(a),
                        (w, l) -> {
                            w.writeArray(l.needResults() ? l.ports() : List.<RemotePort>of(), PORT_LIST_MAX, RemotePort::put);
                            w.writeUnsignedInt(l.ports().size());
                        }),
                new Procedure<>(NETWORK_PORT_LOOKUP_BY_UUID, "virNetworkPortLookupByUUID", READ, WORKER,
                        in -> new Lookup(RemoteNetwork.read(in), RemoteNetwork.readUuid(in)), (s, a) -> lookup(a), RemotePort::put),
                new Procedure<>(NETWORK_PORT_GET_XML_DESC, "virNetworkPortGetXMLDesc", READ, WORKER,
                        in -> new PortFlags(RemotePort.read(in), in.readUnsignedInt()), (s, a) -> {
                            LibvirtFault.checkFlags(a.flags(), 0, "networkPortGetXMLDesc");
                            return xml(a.port());
                        }, (w, xml) -> w.writeString(xml, STRING_MAX)),
                new Procedure<>(NETWORK_PORT_GET_PARAMETERS, "virNetworkPortGetParameters", READ, WORKER,
                        in -> new GetParams(RemotePort.read(in), in.readInt(), in.readUnsignedInt()), (s, a) -> {
                            LibvirtFault.checkFlags(a.flags(), 0, "networkPortGetParameters");
                            return bandwidth(a.port());
                        }, (w, params) -> {
                            TypedParams.write(w, params, PORT_PARAMETERS_MAX);
                            w.writeInt(params.size());
                        }),
                new Procedure<>(NETWORK_PORT_DELETE, "virNetworkPortDelete", WRITE, WORKER,
                        in -> new PortFlags(RemotePort.read(in), in.readUnsignedInt()), (s, a) -> {
                            LibvirtFault.checkFlags(a.flags(), 0, "networkPortDelete");
                            NetworkSummary net = handles.findActive(a.port().net());
                            ports.delete(net.name(), a.port().uuid().toString(), false);
                            return null;
                        }, Procedure::nothing),
                new Procedure<>(NETWORK_PORT_CREATE_XML, "virNetworkPortCreateXML", WRITE, WORKER,
                        in -> new Create(RemoteNetwork.read(in), in.readString(STRING_MAX), in.readUnsignedInt()), (s, a) -> create(a),
                        RemotePort::put),
                new Procedure<>(NETWORK_PORT_SET_PARAMETERS, "virNetworkPortSetParameters", WRITE, WORKER,
                        in -> new SetParams(RemotePort.read(in), TypedParams.read(in, PORT_PARAMETERS_MAX), in.readUnsignedInt()),
                        (s, a) -> {
                            LibvirtFault.checkFlags(a.flags(), 0, "networkPortSetParameters");
                            NetworkSummary net = handles.findActive(a.port().net());
                            ports.setBandwidth(net.name(), a.port().uuid().toString(), bandwidth(a.params()));
                            return null;
                        }, Procedure::nothing));
    }

    /** virtqemud's call: its tap, our record and plug (see {@link PortManager#register}). */
    private RemotePort create(Create a) {
        LibvirtFault.checkFlags(a.flags(), CREATE_RECLAIM | CREATE_VALIDATE, "networkPortCreateXML");
        NetworkSummary net = handles.find(a.net());
        PortDef port = ports.register(net.name(), a.xml(), (a.flags() & CREATE_RECLAIM) != 0);
        return new RemotePort(RemoteNetwork.of(net), port.uuid());
    }

    private PortList list(ListPorts a) {
        LibvirtFault.checkFlags(a.flags(), 0, "networkListAllPorts");
        NetworkSummary net = handles.findActive(a.net());
        RemoteNetwork handle = RemoteNetwork.of(net);
        List<RemotePort> out = ports.list(net.name()).stream().map(p -> new RemotePort(handle, UUID.fromString(p.uuid())))
                .sorted(Comparator.comparing(RemotePort::uuid)).toList();
        return new PortList(out, a.needResults());
    }

    private RemotePort lookup(Lookup a) {
        NetworkSummary net = handles.findActive(a.net());
        ports.getXml(net.name(), a.uuid().toString()); // fails with NO_SUCH_PORT when it is not this network's
        return new RemotePort(RemoteNetwork.of(net), a.uuid());
    }

    private String xml(RemotePort p) {
        NetworkSummary net = handles.findActive(p.net());
        return ports.getXml(net.name(), p.uuid().toString());
    }

    /** libvirt's networkPortGetParameters: inbound average/peak/floor/burst, outbound average/peak/burst, as uints. */
    private Map<String, TypedParams.TypedValue> bandwidth(RemotePort p) {
        Map<String, TypedParams.TypedValue> out = new LinkedHashMap<>();
        NetworkSummary net = handles.findActive(p.net());
        ports.definition(net.name(), p.uuid().toString()).bandwidth().ifPresent(b -> {
            b.inbound().ifPresent(in -> {
                put(out, "inbound.average", in.average());
                put(out, "inbound.peak", in.peak());
                put(out, "inbound.floor", in.floor());
                put(out, "inbound.burst", in.burst());
            });
            b.outbound().ifPresent(o -> {
                put(out, "outbound.average", o.average());
                put(out, "outbound.peak", o.peak());
                put(out, "outbound.burst", o.burst());
            });
        });
        return out;
    }

    static final List<String> BANDWIDTH_FIELDS = Bandwidths.PARAMETERS;

    /**
     * libvirt's networkPortSetParameters: the parameters given make the new bandwidth (unsigned ints, the rest
     * zero); a direction without an average (inbound: nor a floor) is left out.
     */
    static Optional<Bandwidth> bandwidth(Map<String, Object> params) {
        Map<String, Long> v = new java.util.HashMap<>();
        params.forEach((field, value) -> {
            if (!BANDWIDTH_FIELDS.contains(field)) {
                throw new LibvirtFault(LibvirtErrors.ARGUMENT_UNSUPPORTED, LibvirtErrors.FROM_NETWORK,
                        "argument unsupported: parameter '" + field + "' not supported");
            }
            if (!(value instanceof Long l) || l < 0 || l > 0xFFFF_FFFFL) {
                throw new LibvirtFault(LibvirtErrors.INVALID_ARG, LibvirtErrors.FROM_NETWORK,
                        "invalid argument: invalid type for parameter '" + field + "', expected 'uint'");
            }
            v.put(field, l);
        });
        return Bandwidths.fromParameters(v);
    }

    private static void put(Map<String, TypedParams.TypedValue> out, String field, OptionalLong v) {
        out.put(field, new TypedParams.TypedValue(TypedParams.UINT, v.orElse(0)));
    }
}
