package org.vnetd.daemon.port;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.pool.PoolDevice;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.port.PortXml;
import org.vnetd.core.qos.Bandwidths;
import org.vnetd.core.qos.FloorLedger;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.rpc.Port;
import org.vnetd.core.xml.SafeXml;

/**
 * The ports this daemon knows, and the lock that serialises their changes: what every port operation
 * (create, register, delete, recovery) reads and writes. Lookups by network name or uuid, each port's
 * state against its network, and the DHCP reservations the ports of a network hold.
 */
final class PortRegistry {
    private final NetworkDriver driver;
    private final LinkBackend links;
    private final SafeXml xmlParser;
    private final Map<String, PortRecord> ports = new ConcurrentHashMap<>();
    /** Serialises port creation, deletion and edits: each is a handful of kernel calls. */
    final ReentrantLock mutations = new ReentrantLock();

    PortRegistry(NetworkDriver driver, LinkBackend links, SafeXml xmlParser) {
        this.driver = driver;
        this.links = links;
        this.xmlParser = xmlParser;
    }

    /** Port XML, parsed with the parsers the port manager keeps. */
    PortDef parse(String xml) {
        return PortXml.parse(xml, xmlParser);
    }

    /** A stored port's definition (its {@code <networkport>} document). */
    PortDef definition(PortRecord r) {
        return parse(r.xml());
    }

    PortRecord get(String uuid) {
        return ports.get(uuid);
    }

    void put(PortRecord r) {
        ports.put(r.uuid(), r);
    }

    void remove(String uuid) {
        ports.remove(uuid);
    }

    Collection<PortRecord> all() {
        return ports.values();
    }

    int size() {
        return ports.size();
    }

    /** The port {@code uuid}, checked to be on {@code network} (name or uuid) unless that is null. */
    PortRecord find(String network, String uuid) {
        if (uuid == null || uuid.isEmpty()) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "port uuid is empty");
        }
        PortRecord r = ports.get(uuid.toLowerCase(Locale.ROOT));
        if (r == null || (network != null && !r.network().equals(resolveName(network)))) {
            throw VnetException.of(ErrorCode.NO_SUCH_PORT, "network port not found: no network port with matching uuid '%s'", uuid);
        }
        return r;
    }

    /** A network name for a name or uuid; a destroyed network's ports stay listable by its name. */
    String resolveName(String network) {
        try {
            return driver.lookup(network).name();
        } catch (VnetException e) {
            for (PortRecord r : ports.values()) {
                if (r.network().equals(network) || r.networkUuid().equals(network)) {
                    return r.network();
                }
            }
            throw e;
        }
    }

    /** Ports of one network (by name or uuid), or of every network when {@code network} is null. */
    List<Port> list(String network) {
        String name = network == null ? null : resolveName(network);
        List<Port> out = new ArrayList<>();
        for (PortRecord r : ports.values()) {
            if (name == null || r.network().equals(name)) {
                out.add(port(r, state(r), null));
            }
        }
        out.sort(Comparator.comparing(Port::tap, Comparator.nullsLast(Comparator.<String>naturalOrder())).thenComparing(Port::uuid));
        return out;
    }

    static Port port(PortRecord r, String state, String fdToken) {
        return new Port(r.uuid(), r.network(), r.tap(), r.tapMac(), r.mac(), r.bridge(), r.ownerUid(), r.ownerGid(),
                r.portgroup(), r.ip(), r.isolated(), r.mtu(), r.queues(), r.passFd(), state, r.notes(), fdToken);
    }

    /** The ports recorded on the running network {@code network} ({@code uuid}): libvirt's connections. */
    int count(String network, String uuid) {
        int n = 0;
        for (PortRecord r : ports.values()) {
            if (r.network().equals(network) && r.networkUuid().equals(uuid)) {
                n++;
            }
        }
        return n;
    }

    String state(PortRecord r) {
        NetworkSummary n;
        try {
            n = driver.lookup(r.network());
        } catch (VnetException e) {
            return "network-gone";
        }
        if (!n.uuid().equals(r.networkUuid())) {
            return "network-gone";
        }
        if (!n.active()) {
            return "network-inactive";
        }
        if (r.passFd() && links.getLink(r.tap()).isEmpty()) {
            return "tap-gone";
        }
        return "ok";
    }

    /**
     * The floors ports hold on {@code network} (the network's current run: its uuid), leaving out port
     * {@code except}: the class ids their XML carries, as libvirt's port status does, and their inbound floors.
     */
    List<FloorLedger.Share> floorShares(String network, String networkUuid, String except) {
        List<FloorLedger.Share> out = new ArrayList<>();
        for (PortRecord r : ports.values()) {
            if (r.network().equals(network) && r.networkUuid().equals(networkUuid) && !r.uuid().equals(except)) {
                Optional<Bandwidth> bw = definition(r).bandwidth();
                long classId = bw.flatMap(b -> b.classId().isPresent() ? Optional.of(b.classId().getAsLong()) : Optional.empty()).orElse(0L);
                if (classId > 0) {
                    out.add(new FloorLedger.Share((int) classId, Bandwidths.floor(bw)));
                }
            }
        }
        return out;
    }

    /**
     * How many ports of {@code network}'s current run hold each device of its pool, leaving out port {@code except}
     * (null for none): libvirt's connection counts, read from the stored ports' plugs, so a restarted daemon has
     * them back with its ports.
     */
    Map<PoolDevice, Integer> poolConnections(String network, String networkUuid, String except) {
        Map<PoolDevice, Integer> out = new HashMap<>();
        for (PortRecord r : ports.values()) {
            if (r.network().equals(network) && r.networkUuid().equals(networkUuid) && !r.uuid().equals(except) && heldDevice(r)) {
                PoolDevice.of(definition(r).plug()).ifPresent(d -> out.merge(d, 1, Integer::sum));
            }
        }
        return out;
    }

    /** The ports holding each host interface of {@code network}'s pool ({@code <interface dev connections>}). */
    Map<String, Integer> interfaceConnections(String network, String networkUuid) {
        Map<String, Integer> out = new HashMap<>();
        poolConnections(network, networkUuid, null).forEach((d, n) -> {
            if (d instanceof PoolDevice.NetDev dev) {
                out.put(dev.name(), n);
            }
        });
        return out;
    }

    private static boolean heldDevice(PortRecord r) {
        return "direct".equals(r.plugType()) || "hostdev-pci".equals(r.plugType());
    }

    /** The reservations ports hold on {@code network}, leaving out port {@code except}. */
    List<DhcpConfig.StaticHost> reservations(String network, String except) {
        List<DhcpConfig.StaticHost> out = new ArrayList<>();
        for (PortRecord r : ports.values()) {
            if (r.ip() != null && r.network().equals(network) && !r.uuid().equals(except)) {
                out.add(new DhcpConfig.StaticHost(MacAddress.parse(r.mac()), null, (Inet4Address) IpAddresses.parse(r.ip())));
            }
        }
        return out;
    }
}
