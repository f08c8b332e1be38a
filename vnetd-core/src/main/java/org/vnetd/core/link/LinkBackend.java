package org.vnetd.core.link;

import java.util.List;
import java.util.Optional;

import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.net.MacAddress;

/**
 * The kernel operations the network driver needs, one method per operation, taking names and values
 * (libvirt's virNetDev* style). Every method is synchronous: when it returns the kernel has applied
 * the change. Failures throw {@link KernelException} (errno, errno name, the kernel's text, the
 * interface); invalid arguments throw before anything is sent. No method retries or rolls back on its
 * own: the driver records undo steps.
 */
public interface LinkBackend {
    // ---- links

    /** Creates a bridge (down) with STP state, forward delay, optional MAC and MTU. EEXIST if the name is taken. */
    void createBridge(BridgeSpec spec);

    /**
     * Creates a persistent tap (it outlives our descriptor) owned by the spec's uid/gid, and returns the
     * name the kernel gave it ({@code vnet%d} templates are completed by the kernel).
     */
    String createTap(TapSpec spec);

    /**
     * Creates a non-persistent tap and returns its open descriptors ({@code queues} of them, which needs
     * {@code spec.multiQueue()} when more than one); the device disappears when the last one is closed.
     */
    TapHandle openTap(TapSpec spec, int queues);

    /**
     * Creates macvtap {@code name} on host interface {@code lower} in macvlan mode {@code mode} ({@code bridge},
     * {@code private}, {@code vepa} or {@code passthrough}) with the guest's MAC, up, and returns it. EEXIST if the
     * name is taken; a second passthrough macvtap on one interface is refused by the kernel.
     */
    default LinkRef createMacvtap(String name, String lower, String mode, MacAddress mac) {
        throw new UnsupportedOperationException("this link backend makes no macvtap devices");
    }

    /**
     * Opens {@code queues} descriptors of macvtap {@code macvtap}'s character device ({@code /dev/tapN}, N its
     * ifindex), with or without the virtio-net header; the device stays until the link is deleted.
     */
    default TapHandle openMacvtap(LinkRef macvtap, int queues, boolean vnetHdr) {
        throw new UnsupportedOperationException("this link backend opens no macvtap devices");
    }

    /** Creates a veth pair {@code name} ↔ {@code peer} in the current namespace. */
    void createVeth(String name, String peer);

    /**
     * Moves link {@code name} into the network namespace whose handle is the file {@code netnsPath}
     * (e.g. {@code /run/netns/NAME} or {@code /proc/PID/ns/net}): the container side of a veth port.
     * The link keeps its name there; it is set down by the move.
     */
    void moveToNetns(String name, String netnsPath);

    /** Deletes a link of any kind (a veth's peer goes with it). ENODEV if there is none. */
    void deleteLink(String name);

    /**
     * Takes {@code link} out of service in one kernel request: sets it down (a bridge port whose device
     * is down carries nothing; it stays enslaved until deleted) and moves it into link group
     * {@code group} (IFLA_GROUP), where {@link #deleteLinkGroup} can later remove it together with others. The link is addressed by its ifindex, so a link that took over the
     * name meanwhile is never touched; ENODEV if that ifindex is gone.
     */
    void retireLink(LinkRef link, int group);

    /**
     * Deletes every link in link group {@code group} with one request: the kernel unregisters them as one
     * batch (one RCU grace period for all instead of one per link). Returns false when the group is empty
     * (the kernel's ENODEV). Group 0, every link's default group, is refused; EOPNOTSUPP when a member
     * cannot be deleted (a device without rtnetlink ops), and then none is.
     */
    boolean deleteLinkGroup(int group);

    /**
     * Enslaves {@code name} to bridge {@code master}. If the kernel refuses (e.g. the port's MTU or a
     * loop), the port is left detached and the exception says so; nothing is retried.
     */
    void setMaster(String name, String master);

    /** Sets learning, unicast flooding and isolation on port {@code name}, which must have a bridge master. */
    void setBridgePort(String name, BridgePortOptions options);

    /** Turns the bridge's VLAN filtering on or off ({@code macTableManager='libvirt'} turns it on, as libvirt does). */
    void setBridgeVlanFiltering(String bridge, boolean on);

    /** A static forwarding entry for {@code mac} on bridge port {@code port} (one already there is fine). */
    void addBridgeFdb(String port, MacAddress mac);

    /** Removes the forwarding entry {@code mac} of bridge port {@code port}. */
    void deleteBridgeFdb(String port, MacAddress mac);

    void setUp(String name);

    void setDown(String name);

    void setMtu(String name, int mtu);

    void setMac(String name, MacAddress mac);

    /**
     * Gives {@code name} its MAC and MTU, enslaves it to {@code bridge} and sets it up. Equivalent to
     * {@link #setMac}, {@link #setMtu}, {@link #setMaster}, {@link #setUp} in that order; a backend may do
     * it in one kernel request (one RTNL round instead of four, which matters when ports come by the
     * thousand). On failure the link may be left partly configured.
     */
    default void plugIntoBridge(String name, MacAddress mac, int mtu, String bridge) {
        setMac(name, mac);
        setMtu(name, mtu);
        setMaster(name, bridge);
        setUp(name);
    }

    /**
     * {@link #plugIntoBridge(String, MacAddress, int, String)} for a caller that has just looked the bridge
     * up with {@link #linkRef}; returns the plugged link's ref. A backend may address both links by
     * ifindex and spare a lookup per port.
     */
    default LinkRef plugIntoBridge(String name, MacAddress mac, int mtu, LinkRef bridge) {
        plugIntoBridge(name, mac, mtu, bridge.name());
        return linkRef(name).orElseThrow(() -> new IllegalStateException("link '" + name + "' vanished after plugging"));
    }

    /**
     * The ifindex and MTU of {@code name}, or empty when there is none. A backend may answer from a path
     * that does not queue behind link changes (the kernel's RTNL lock): this is asked once per port.
     */
    default Optional<LinkRef> linkRef(String name) {
        return lookupLink(name).map(LinkInfo::ref);
    }

    /** All links of the namespace, in ifindex order. */
    List<LinkInfo> listLinks();

    /** One link by name, or empty when there is none (never throws ENODEV). */
    Optional<LinkInfo> getLink(String name);

    /**
     * {@link #getLink} without the master's name ({@code master()} empty, {@code masterIndex()} set): a
     * backend may answer it with one kernel request instead of two, for callers that need no more.
     */
    default Optional<LinkInfo> lookupLink(String name) {
        return getLink(name);
    }

    // ---- addresses

    void addAddress(AddressSpec spec);

    void deleteAddress(String ifname, IpPrefix prefix);

    /** Every IPv4 and IPv6 address of the namespace. */
    List<AddressInfo> listAddresses();

    // ---- routes (main table)

    void addRoute(RouteSpec spec);

    void deleteRoute(RouteSpec spec);

    /** IPv4 and IPv6 routes of the main table. */
    List<RouteInfo> listRoutes();
}
