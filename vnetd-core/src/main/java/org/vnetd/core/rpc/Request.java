package org.vnetd.core.rpc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The params of each JSON RPC method (docs/rpc.md) as a record, decoded once from the wire by
 * {@link RequestDecoder}, so a method's handler gets checked, typed values and no JSON. An optional parameter
 * the request left out is null; a flag left out has its documented default.
 */
public sealed interface Request {
    record DaemonVersion() implements Request {
    }

    record NetworkList() implements Request {
    }

    record NetworkLookup(String network) implements Request {
    }

    record NetworkGetXml(String network, boolean inactive) implements Request {
    }

    record NetworkDefine(String xml) implements Request {
    }

    record NetworkCreate(String xml) implements Request {
    }

    record NetworkUndefine(String network) implements Request {
    }

    record NetworkStart(String network) implements Request {
    }

    record NetworkDestroy(String network) implements Request {
    }

    record NetworkSetAutostart(String network, boolean autostart) implements Request {
    }

    record NetworkUpdate(String network, String command, String section, int parentIndex, String xml, boolean live,
            boolean config) implements Request {
    }

    /** {@code mac} null: every lease. */
    record NetworkDhcpLeases(String network, String mac) implements Request {
    }

    record NetworkServiceStats(String network) implements Request {
    }

    /** {@code type} is title, description or element; {@code uri} names an element's namespace. */
    record NetworkGetMetadata(String network, String type, String uri, boolean inactive) implements Request {
    }

    /** {@code value} null removes the metadata. */
    record NetworkSetMetadata(String network, String type, String value, String key, String uri, boolean live,
            boolean config) implements Request {
    }

    /** The directories null: libvirt's standard ones (the daemon checks that a given one is absolute). */
    record NetworkImportLibvirt(String configDir, String statusDir, String leaseDir, boolean takeover, boolean dryRun)
            implements Request {
    }

    /** {@code network}, {@code event} null: every network, every kind of event. */
    record EventsSubscribe(String network, String event) implements Request {
    }

    record FirewallReload() implements Request {
    }

    record FirewallDiagnose() implements Request {
    }

    /** As sent; the port manager checks the values (a MAC, an IPv4 address, queue counts) before anything is made. */
    record PortCreate(String network, String mac, Integer ownerUid, Integer ownerGid, String tap, boolean multiQueue,
            int queues, boolean vnetHdr, String portgroup, boolean passFd, String ip, Boolean isolated, String ownerName,
            String ownerUuid) implements Request {
    }

    record PortDelete(String network, String uuid, boolean releaseLease) implements Request {
    }

    record PortList(String network) implements Request {
    }

    record PortGetXml(String network, String uuid) implements Request {
    }

    record PortFd(String fdToken) implements Request {
    }

    /** {@code parameters}: those of {@code Bandwidths.PARAMETERS} the request gave, unsigned 32-bit values; none removes. */
    record PortSetBandwidth(String network, String uuid, Map<String, Long> parameters) implements Request {
        public PortSetBandwidth {
            parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }
    }
}
