package org.vnetd.core.rpc;

import java.util.Set;

/** Method names of the RPC (docs/rpc.md). The names are the wire contract: never rename one. */
public final class Methods {
    public static final String DAEMON_VERSION = "daemon.version";
    public static final String NETWORK_LIST = "network.list";
    public static final String NETWORK_LOOKUP = "network.lookup";
    public static final String NETWORK_GET_XML = "network.getXml";
    public static final String NETWORK_DEFINE = "network.define";
    public static final String NETWORK_CREATE = "network.create";
    public static final String NETWORK_UNDEFINE = "network.undefine";
    public static final String NETWORK_START = "network.start";
    public static final String NETWORK_DESTROY = "network.destroy";
    public static final String NETWORK_SET_AUTOSTART = "network.setAutostart";
    public static final String NETWORK_UPDATE = "network.update";
    public static final String NETWORK_DHCP_LEASES = "network.dhcpLeases";
    /** Counters of a running network's guest services (DHCP, DHCPv6, router advertisements). */
    public static final String NETWORK_SERVICE_STATS = "network.serviceStats";
    public static final String NETWORK_GET_METADATA = "network.getMetadata";
    public static final String NETWORK_SET_METADATA = "network.setMetadata";
    /** libvirt's networks, their leases and (with takeover) running networks become vnetd's. */
    public static final String NETWORK_IMPORT_LIBVIRT = "network.importLibvirt";
    public static final String EVENTS_SUBSCRIBE = "events.subscribe";
    public static final String FIREWALL_RELOAD = "firewall.reload";
    public static final String FIREWALL_DIAGNOSE = "firewall.diagnose";
    public static final String PORT_CREATE = "port.create";
    public static final String PORT_DELETE = "port.delete";
    public static final String PORT_LIST = "port.list";
    public static final String PORT_GET_XML = "port.getXml";
    /** A port's bandwidth, as libvirt's virNetworkPortSetParameters sets it. */
    public static final String PORT_SET_BANDWIDTH = "port.setBandwidth";
    /** Collects a passFd port's descriptors over SCM_RIGHTS (docs/rpc.md, "Passing tap descriptors"). */
    public static final String PORT_FD = "port.fd";

    /** The server → client notification method. */
    public static final String EVENT = "event";

    /** Methods the read-only socket accepts: they change nothing. */
    public static final Set<String> READ_ONLY = Set.of(DAEMON_VERSION, NETWORK_LIST, NETWORK_LOOKUP,
            NETWORK_GET_XML, NETWORK_DHCP_LEASES, NETWORK_SERVICE_STATS, NETWORK_GET_METADATA, EVENTS_SUBSCRIBE, PORT_LIST, PORT_GET_XML,
            FIREWALL_DIAGNOSE);

    public static final Set<String> ALL = Set.of(DAEMON_VERSION, NETWORK_LIST, NETWORK_LOOKUP, NETWORK_GET_XML,
            NETWORK_DEFINE, NETWORK_CREATE, NETWORK_UNDEFINE, NETWORK_START, NETWORK_DESTROY, NETWORK_SET_AUTOSTART,
            NETWORK_UPDATE, NETWORK_DHCP_LEASES, NETWORK_SERVICE_STATS, NETWORK_GET_METADATA, NETWORK_SET_METADATA, EVENTS_SUBSCRIBE,
            FIREWALL_RELOAD, PORT_CREATE, PORT_DELETE, PORT_LIST, PORT_GET_XML, PORT_FD, PORT_SET_BANDWIDTH,
            FIREWALL_DIAGNOSE, NETWORK_IMPORT_LIBVIRT);

    private Methods() {
    }

    public static boolean isReadOnly(String method) {
        return READ_ONLY.contains(method);
    }
}
