package org.vnetd.daemon.netlink;

import java.util.List;
import java.util.Optional;

import org.vnetd.core.link.AddressInfo;
import org.vnetd.core.link.AddressSpec;
import org.vnetd.core.link.BridgePortOptions;
import org.vnetd.core.link.BridgeSpec;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.link.LinkInfo;
import org.vnetd.core.link.LinkRef;
import org.vnetd.core.link.LinkNames;
import org.vnetd.core.link.NeighbourSpec;
import org.vnetd.core.link.RouteInfo;
import org.vnetd.core.link.RouteSpec;
import org.vnetd.core.link.TapHandle;
import org.vnetd.core.link.TapSpec;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.qos.TcBackend;

/**
 * {@link LinkBackend} over rtnetlink and /dev/net/tun. It acts in the network namespace of the thread
 * that called {@link #open()}; taps are created in the namespace of the calling thread (the tun driver
 * takes it from the opener), which is the same for a daemon that never switches namespaces.
 */
public final class NetlinkLinkBackend implements LinkBackend, AutoCloseable {
    private final NetlinkSocket socket;
    private final LinkOps links;
    private final AddressOps addresses;
    private final RouteOps routes;
    private final NeighbourOps neighbours;
    private final FdbOps fdb;
    private final TunDevices tun;
    private final TcOps tc;

    private NetlinkLinkBackend(NetlinkSocket socket) {
        this.socket = socket;
        this.links = new LinkOps(socket);
        this.addresses = new AddressOps(socket, links);
        this.routes = new RouteOps(socket, links);
        this.neighbours = new NeighbourOps(socket, links);
        this.fdb = new FdbOps(socket, links);
        this.tun = new TunDevices();
        this.tc = new TcOps(socket, links);
    }

    /** Opens the rtnetlink socket in the calling thread's network namespace. */
    public static NetlinkLinkBackend open() {
        return new NetlinkLinkBackend(NetlinkSocket.open(0));
    }

    /** Traffic control (qdiscs, classes, filters) over the same socket. */
    public TcBackend tc() {
        return tc;
    }

    @Override
    public void createBridge(BridgeSpec spec) {
        links.createBridge(spec);
    }

    @Override
    public String createTap(TapSpec spec) {
        return tun.createPersistent(spec);
    }

    @Override
    public TapHandle openTap(TapSpec spec, int queues) {
        return tun.open(spec, queues);
    }

    @Override
    public LinkRef createMacvtap(String name, String lower, String mode, MacAddress mac) {
        LinkRef low = linkRef(lower).orElseThrow(() -> Errno.exception("create macvtap on '" + lower + "'", name, Errno.ENODEV,
                "host interface '" + lower + "' does not exist"));
        links.createMacvtap(name, low.index(), MacvlanModes.bits(mode), mac);
        return linkRef(name).orElseThrow(() -> Errno.exception("look up the new macvtap", name, Errno.ENODEV, null));
    }

    @Override
    public TapHandle openMacvtap(LinkRef macvtap, int queues, boolean vnetHdr) {
        return tun.openMacvtap(macvtap, queues, vnetHdr);
    }

    @Override
    public void createVeth(String name, String peer) {
        links.createVeth(name, peer);
    }

    @Override
    public void moveToNetns(String name, String netnsPath) {
        links.moveToNetns(name, netnsPath);
    }

    @Override
    public void deleteLink(String name) {
        links.delete(name);
    }

    @Override
    public void retireLink(LinkRef link, int group) {
        links.retire(link.index(), link.name(), group);
    }

    @Override
    public boolean deleteLinkGroup(int group) {
        return links.deleteGroup(group);
    }

    @Override
    public void setMaster(String name, String master) {
        LinkNames.check(name);
        int index = links.indexOf(master, "attach '" + name + "' to bridge");
        links.setMaster(name, index, master);
    }

    /** Detaches {@code name} from whatever bridge holds it (no-op if none). Not on {@link LinkBackend}: no start step needs it. */
    public void setNoMaster(String name) {
        links.setMaster(name, 0, null);
    }

    @Override
    public void setBridgePort(String name, BridgePortOptions options) {
        links.setBridgePort(name, options);
    }

    @Override
    public void setBridgeVlanFiltering(String bridge, boolean on) {
        links.setBridgeVlanFiltering(bridge, on);
    }

    @Override
    public void addBridgeFdb(String port, MacAddress mac) {
        fdb.add(port, mac);
    }

    @Override
    public void deleteBridgeFdb(String port, MacAddress mac) {
        fdb.delete(port, mac);
    }

    @Override
    public void setUp(String name) {
        links.setFlags(name, true);
    }

    @Override
    public void setDown(String name) {
        links.setFlags(name, false);
    }

    @Override
    public void setMtu(String name, int mtu) {
        links.setMtu(name, mtu);
    }

    @Override
    public void setMac(String name, MacAddress mac) {
        links.setMac(name, mac);
    }

    @Override
    public void plugIntoBridge(String name, MacAddress mac, int mtu, String bridge) {
        LinkNames.check(name);
        links.plug(0, name, mac, mtu, links.indexOf(bridge, "attach '" + name + "' to bridge"), bridge);
    }

    @Override
    public LinkRef plugIntoBridge(String name, MacAddress mac, int mtu, LinkRef bridge) {
        LinkRef tap = links.ref(name).orElseThrow(() -> Errno.exception("attach to bridge '" + bridge.name() + "'", name, Errno.ENODEV, null));
        links.plug(tap.index(), name, mac, mtu, bridge.index(), bridge.name());
        return new LinkRef(tap.index(), name, mtu);
    }

    @Override
    public Optional<LinkRef> linkRef(String name) {
        return links.ref(name);
    }

    @Override
    public List<LinkInfo> listLinks() {
        return links.list();
    }

    @Override
    public Optional<LinkInfo> getLink(String name) {
        return links.get(name);
    }

    @Override
    public Optional<LinkInfo> lookupLink(String name) {
        return links.get(name, false);
    }

    @Override
    public void addAddress(AddressSpec spec) {
        addresses.add(spec);
    }

    @Override
    public void deleteAddress(String ifname, IpPrefix prefix) {
        addresses.delete(ifname, prefix);
    }

    @Override
    public List<AddressInfo> listAddresses() {
        return addresses.list();
    }

    @Override
    public void addRoute(RouteSpec spec) {
        routes.add(spec);
    }

    @Override
    public void deleteRoute(RouteSpec spec) {
        routes.delete(spec);
    }

    @Override
    public List<RouteInfo> listRoutes() {
        return routes.list();
    }

    /** Adds or replaces a permanent neighbour entry. Not on {@link LinkBackend}: no start step needs it (yet). */
    public void addNeighbour(NeighbourSpec spec) {
        neighbours.add(spec);
    }

    public void deleteNeighbour(NeighbourSpec spec) {
        neighbours.delete(spec);
    }

    @Override
    public void close() {
        socket.close();
    }
}
