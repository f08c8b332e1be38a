package org.vnetd.daemon.libvirt.proc;

import static org.vnetd.daemon.libvirt.proc.Procedure.Access.READ;
import static org.vnetd.daemon.libvirt.proc.Procedure.Access.WRITE;
import static org.vnetd.daemon.libvirt.proc.Procedure.RunsOn.EVENT_LOOP;
import static org.vnetd.daemon.libvirt.proc.Procedure.RunsOn.WORKER;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.Lease;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.daemon.libvirt.wire.LibvirtErrors;
import org.vnetd.daemon.libvirt.wire.LibvirtFault;
import org.vnetd.daemon.libvirt.xdr.XdrReader;
import org.vnetd.daemon.libvirt.xdr.XdrWriter;

/**
 * The network procedures of libvirt's remote program over the same {@link NetworkDriver} the JSON RPC
 * uses: this class only translates wire shapes, flags and handles (a network is named by its UUID,
 * as libvirt's driver finds it) to the driver's calls.
 */
public final class NetworkProcedures {
    public static final int CONNECT_LIST_DEFINED_NETWORKS = 36;
    public static final int CONNECT_LIST_NETWORKS = 38;
    public static final int NETWORK_CREATE = 39;
    public static final int NETWORK_CREATE_XML = 40;
    public static final int NETWORK_DEFINE_XML = 41;
    public static final int NETWORK_DESTROY = 42;
    public static final int NETWORK_GET_XML_DESC = 43;
    public static final int NETWORK_GET_AUTOSTART = 44;
    public static final int NETWORK_GET_BRIDGE_NAME = 45;
    public static final int NETWORK_LOOKUP_BY_NAME = 46;
    public static final int NETWORK_LOOKUP_BY_UUID = 47;
    public static final int NETWORK_SET_AUTOSTART = 48;
    public static final int NETWORK_UNDEFINE = 49;
    public static final int CONNECT_NUM_OF_DEFINED_NETWORKS = 50;
    public static final int CONNECT_NUM_OF_NETWORKS = 52;
    public static final int NETWORK_IS_ACTIVE = 152;
    public static final int NETWORK_IS_PERSISTENT = 153;
    public static final int CONNECT_LIST_ALL_NETWORKS = 283;
    public static final int NETWORK_UPDATE = 291;
    public static final int NETWORK_GET_DHCP_LEASES = 341;
    public static final int NETWORK_DEFINE_XML_FLAGS = 432;
    public static final int NETWORK_CREATE_XML_FLAGS = 437;

    /** REMOTE_NETWORK_LIST_MAX. */
    static final int NETWORK_LIST_MAX = 16_384;
    /** REMOTE_NETWORK_DHCP_LEASES_MAX. */
    static final int DHCP_LEASES_MAX = 65_536;
    static final int STRING_MAX = RemoteNetwork.STRING_MAX;

    // virConnectListAllNetworksFlags
    static final long LIST_INACTIVE = 1;
    static final long LIST_ACTIVE = 2;
    static final long LIST_PERSISTENT = 4;
    static final long LIST_TRANSIENT = 8;
    static final long LIST_AUTOSTART = 16;
    static final long LIST_NO_AUTOSTART = 32;
    /** VIR_NETWORK_XML_INACTIVE. */
    static final long XML_INACTIVE = 1;
    /** VIR_NETWORK_DEFINE_VALIDATE and VIR_NETWORK_CREATE_VALIDATE: vnetd always validates. */
    static final long VALIDATE = 1;
    // virNetworkUpdateFlags
    static final long UPDATE_LIVE = 1;
    static final long UPDATE_CONFIG = 2;
    /** virNetworkUpdateCommand 1..4. */
    static final List<String> UPDATE_COMMANDS = List.of("modify", "delete", "add-last", "add-first");
    /** virNetworkUpdateSection 1..12, in libvirt's order. */
    static final List<String> UPDATE_SECTIONS = List.of("bridge", "domain", "ip", "ip-dhcp-host", "ip-dhcp-range",
            "forward", "forward-interface", "forward-pf", "portgroup", "dns-host", "dns-txt", "dns-srv");
    // virIPAddrType
    static final int IP_ADDR_IPV4 = 0;
    static final int IP_ADDR_IPV6 = 1;

    record XmlFlags(String xml, long flags) {
    }

    record NetFlags(RemoteNetwork net, long flags) {
    }

    record Autostart(RemoteNetwork net, boolean autostart) {
    }

    record ListAll(boolean needResults, long flags) {
    }

    record Listed(List<RemoteNetwork> nets, int count) {
    }

    record Update(RemoteNetwork net, long command, long section, int parentIndex, String xml, long flags) {
    }

    record LeaseQuery(RemoteNetwork net, Optional<String> mac, boolean needResults, long flags) {
    }

    record Leases(String iface, List<Lease> leases, boolean needResults) {
    }

    private final NetworkDriver driver;
    private final NetworkHandles handles;

    public NetworkProcedures(NetworkDriver driver) {
        this.driver = driver;
        this.handles = new NetworkHandles(driver);
    }

    public List<Procedure<?, ?>> all() {
        return List.of(
                summaryRead(NETWORK_LOOKUP_BY_NAME, "virNetworkLookupByName", in -> in.readString(STRING_MAX),
                        (s, name) -> lookupByName(name), RemoteNetwork::put),
                summaryRead(NETWORK_LOOKUP_BY_UUID, "virNetworkLookupByUUID", RemoteNetwork::readUuid,
                        (s, uuid) -> RemoteNetwork.of(summary(new RemoteNetwork(null, uuid))), RemoteNetwork::put),
                summaryRead(CONNECT_LIST_ALL_NETWORKS, "virConnectListAllNetworks",
                        in -> new ListAll(in.readInt() != 0, in.readUnsignedInt()), (s, a) -> listAll(a), NetworkProcedures::writeListed),
                summaryRead(CONNECT_NUM_OF_NETWORKS, "virConnectNumOfNetworks", Procedure::none,
                        (s, a) -> (int) driver.list().stream().filter(NetworkSummary::active).count(), XdrWriter::writeInt),
                summaryRead(CONNECT_NUM_OF_DEFINED_NETWORKS, "virConnectNumOfDefinedNetworks", Procedure::none,
                        (s, a) -> (int) driver.list().stream().filter(n -> !n.active()).count(), XdrWriter::writeInt),
                summaryRead(CONNECT_LIST_NETWORKS, "virConnectListNetworks", NetworkProcedures::maxNames,
                        (s, max) -> names(NetworkSummary::active, max), NetworkProcedures::writeNames),
                summaryRead(CONNECT_LIST_DEFINED_NETWORKS, "virConnectListDefinedNetworks", NetworkProcedures::maxNames,
                        (s, max) -> names(n -> !n.active(), max), NetworkProcedures::writeNames),
                summaryRead(NETWORK_GET_XML_DESC, "virNetworkGetXMLDesc", in -> new NetFlags(RemoteNetwork.read(in), in.readUnsignedInt()),
                        (s, a) -> {
                            LibvirtFault.checkFlags(a.flags(), XML_INACTIVE, "networkGetXMLDesc");
                            return driver.getXml(id(a.net()), (a.flags() & XML_INACTIVE) != 0);
                        }, (w, xml) -> w.writeString(xml, STRING_MAX)),
                summaryRead(NETWORK_GET_AUTOSTART, "virNetworkGetAutostart", RemoteNetwork::read,
                        (s, n) -> summary(n).autostart() ? 1 : 0, XdrWriter::writeInt),
                summaryRead(NETWORK_IS_ACTIVE, "virNetworkIsActive", RemoteNetwork::read,
                        (s, n) -> summary(n).active() ? 1 : 0, XdrWriter::writeInt),
                summaryRead(NETWORK_IS_PERSISTENT, "virNetworkIsPersistent", RemoteNetwork::read,
                        (s, n) -> summary(n).persistent() ? 1 : 0, XdrWriter::writeInt),
                summaryRead(NETWORK_GET_BRIDGE_NAME, "virNetworkGetBridgeName", RemoteNetwork::read,
                        (s, n) -> bridgeName(summary(n)), (w, name) -> w.writeString(name, STRING_MAX)),
                summaryRead(NETWORK_GET_DHCP_LEASES, "virNetworkGetDHCPLeases", NetworkProcedures::leaseQuery,
                        (s, q) -> leases(q), NetworkProcedures::writeLeases),
                write(NETWORK_DEFINE_XML, "virNetworkDefineXML", in -> in.readString(STRING_MAX),
                        (s, xml) -> RemoteNetwork.of(driver.define(xml)), RemoteNetwork::put),
                write(NETWORK_DEFINE_XML_FLAGS, "virNetworkDefineXMLFlags", NetworkProcedures::xmlFlags, (s, a) -> {
                    LibvirtFault.checkFlags(a.flags(), VALIDATE, "networkDefineXMLFlags");
                    return RemoteNetwork.of(driver.define(a.xml()));
                }, RemoteNetwork::put),
                write(NETWORK_CREATE_XML, "virNetworkCreateXML", in -> in.readString(STRING_MAX),
                        (s, xml) -> RemoteNetwork.of(driver.create(xml)), RemoteNetwork::put),
                write(NETWORK_CREATE_XML_FLAGS, "virNetworkCreateXMLFlags", NetworkProcedures::xmlFlags, (s, a) -> {
                    LibvirtFault.checkFlags(a.flags(), VALIDATE, "networkCreateXMLFlags");
                    return RemoteNetwork.of(driver.create(a.xml()));
                }, RemoteNetwork::put),
                write(NETWORK_CREATE, "virNetworkCreate", RemoteNetwork::read, (s, n) -> {
                    driver.start(id(n));
                    return null;
                }, Procedure::nothing),
                write(NETWORK_DESTROY, "virNetworkDestroy", RemoteNetwork::read, (s, n) -> {
                    driver.destroy(id(n));
                    return null;
                }, Procedure::nothing),
                write(NETWORK_UNDEFINE, "virNetworkUndefine", RemoteNetwork::read, (s, n) -> {
                    driver.undefine(id(n));
                    return null;
                }, Procedure::nothing),
                write(NETWORK_SET_AUTOSTART, "virNetworkSetAutostart", in -> new Autostart(RemoteNetwork.read(in), in.readInt() != 0),
                        (s, a) -> {
                            driver.setAutostart(id(a.net()), a.autostart());
                            return null;
                        }, Procedure::nothing),
                write(NETWORK_UPDATE, "virNetworkUpdate", in -> new Update(RemoteNetwork.read(in), in.readUnsignedInt(),
                        in.readUnsignedInt(), in.readInt(), in.readString(STRING_MAX), in.readUnsignedInt()), (s, u) -> {
                            update(u);
                            return null;
                        }, Procedure::nothing));
    }

    /**
     * A read of the driver's network summaries (names, uuids, states, bridges): the driver serves them without a
     * lock ({@code NetworkReads}), so they run where the call arrived, on the connection's event loop. A hand-off
     * to a virtual thread and back costs a loaded machine more than the read itself, and a listing virsh makes
     * several of these. The XML too: the driver keeps the last one it formatted and counts ports without a lock.
     * The leases too: the DHCP servers list them without their lease logs' locks, which a sync holds while the
     * disk works ({@code DhcpService#leases}).
     */
    private static <A, R> Procedure<A, R> summaryRead(int number, String api, java.util.function.Function<XdrReader, A> args,
            Procedure.Handler<A, R> handler, java.util.function.BiConsumer<XdrWriter, R> result) {
        return new Procedure<>(number, api, READ, EVENT_LOOP, args, handler, result);
    }

    private static <A, R> Procedure<A, R> write(int number, String api, java.util.function.Function<XdrReader, A> args,
            Procedure.Handler<A, R> handler, java.util.function.BiConsumer<XdrWriter, R> result) {
        return new Procedure<>(number, api, WRITE, WORKER, args, handler, result);
    }

    private static String id(RemoteNetwork n) {
        return NetworkHandles.id(n);
    }

    private NetworkSummary summary(RemoteNetwork n) {
        return handles.find(n);
    }

    private RemoteNetwork lookupByName(String name) {
        NetworkSummary s;
        try {
            s = driver.lookup(name);
        } catch (VnetException e) {
            if (e.code() != ErrorCode.NO_SUCH_NETWORK && e.code() != ErrorCode.INVALID_ARGUMENT) {
                throw e;
            }
            s = null;
        }
        // the driver also accepts a UUID here; libvirt's lookup by name does not
        if (s == null || !s.name().equals(name)) {
            throw VnetException.of(ErrorCode.NO_SUCH_NETWORK, "Network not found: no network with matching name '%s'", name);
        }
        return RemoteNetwork.of(s);
    }

    private Listed listAll(ListAll a) {
        LibvirtFault.checkFlags(a.flags(), 63, "networkConnectListAllNetworks");
        List<RemoteNetwork> nets = driver.list().stream().filter(n -> matches(n, a.flags())).map(RemoteNetwork::of).toList();
        return new Listed(a.needResults() ? nets : List.of(), nets.size());
    }

    /** virNetworkObjMatch: each pair of flags filters only when one of the pair is given. */
    static boolean matches(NetworkSummary n, long flags) {
        return pair(flags, LIST_ACTIVE, LIST_INACTIVE, n.active())
                && pair(flags, LIST_PERSISTENT, LIST_TRANSIENT, n.persistent())
                && pair(flags, LIST_AUTOSTART, LIST_NO_AUTOSTART, n.autostart());
    }

    private static boolean pair(long flags, long yes, long no, boolean value) {
        if ((flags & (yes | no)) == 0) {
            return true;
        }
        return value ? (flags & yes) != 0 : (flags & no) != 0;
    }

    private static void writeListed(XdrWriter w, Listed l) {
        w.writeArray(l.nets(), NETWORK_LIST_MAX, (x, n) -> n.write(x));
        w.writeUnsignedInt(l.count());
    }

    private static int maxNames(XdrReader in) {
        int max = in.readInt();
        if (max > NETWORK_LIST_MAX) {
            throw new LibvirtFault(LibvirtErrors.RPC, LibvirtErrors.FROM_RPC, "maxnames > REMOTE_NETWORK_LIST_MAX");
        }
        return max;
    }

    private List<String> names(Predicate<NetworkSummary> which, int max) {
        return driver.list().stream().filter(which).map(NetworkSummary::name).limit(Math.max(0, max)).toList();
    }

    private static void writeNames(XdrWriter w, List<String> names) {
        w.writeArray(names, NETWORK_LIST_MAX, (x, n) -> x.writeString(n, STRING_MAX));
    }

    private static XmlFlags xmlFlags(XdrReader in) {
        return new XmlFlags(in.readString(STRING_MAX), in.readUnsignedInt());
    }

    private static String bridgeName(NetworkSummary s) {
        if (s.bridge() == null) {
            throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED, "internal error: network '%s' does not have a bridge name.", s.name());
        }
        return s.bridge();
    }

    private void update(Update u) {
        LibvirtFault.checkFlags(u.flags(), UPDATE_LIVE | UPDATE_CONFIG, "networkUpdate");
        if (u.command() < 1 || u.command() > UPDATE_COMMANDS.size()) {
            throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "invalid argument: unrecognized network update command %d", u.command());
        }
        if (u.section() < 1 || u.section() > UPDATE_SECTIONS.size()) {
            throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED, "can't update unrecognized section of network");
        }
        driver.update(id(u.net()), UPDATE_COMMANDS.get((int) u.command() - 1), UPDATE_SECTIONS.get((int) u.section() - 1),
                u.parentIndex(), u.xml(), (u.flags() & UPDATE_LIVE) != 0, (u.flags() & UPDATE_CONFIG) != 0);
    }

    private static LeaseQuery leaseQuery(XdrReader in) {
        return new LeaseQuery(RemoteNetwork.read(in), in.readOptional(r -> r.readString(STRING_MAX)), in.readInt() != 0,
                in.readUnsignedInt());
    }

    private Leases leases(LeaseQuery q) {
        LibvirtFault.checkFlags(q.flags(), 0, "networkGetDHCPLeases");
        NetworkSummary s = summary(q.net());
        return new Leases(s.bridge() == null ? "" : s.bridge(), driver.dhcpLeases(id(q.net()), q.mac().orElse(null)), q.needResults());
    }

    private static void writeLeases(XdrWriter w, Leases l) {
        w.writeArray(l.needResults() ? l.leases() : List.<Lease>of(), DHCP_LEASES_MAX, (x, lease) -> {
            x.writeString(l.iface(), STRING_MAX);
            x.writeHyper(lease.expiryTime());
            x.writeInt("ipv6".equals(lease.protocol()) ? IP_ADDR_IPV6 : IP_ADDR_IPV4);
            optionalString(x, lease.mac());
            optionalString(x, lease.iaid()); // DHCPv6 only
            x.writeString(lease.ipAddress(), STRING_MAX);
            x.writeUnsignedInt(lease.prefix());
            optionalString(x, lease.hostname());
            optionalString(x, lease.clientId());
        });
        w.writeUnsignedInt(l.leases().size());
    }

    private static void optionalString(XdrWriter w, String s) {
        w.writeOptional(Optional.ofNullable(s), (x, v) -> x.writeString(v, STRING_MAX));
    }
}
