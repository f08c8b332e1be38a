package org.vnetd.core.dhcp;

import java.net.Inet4Address;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.MacAddress;

/**
 * The addresses a config makes available, indexed for the engine: dynamic ranges as one numbered
 * sequence (for hash-seeded probing) and static reservations by MAC, client id and address.
 */
final class AddressPool {
    private final DhcpConfig config;
    private final List<DhcpConfig.Range> ranges;
    private final long[] firstIndex; // index in the sequence of each range's start
    private final long size;
    private final Map<MacAddress, DhcpConfig.StaticHost> byMac = new HashMap<>();
    private final Map<ClientId, DhcpConfig.StaticHost> byClientId = new HashMap<>();
    private final Map<Integer, DhcpConfig.StaticHost> byIp = new HashMap<>();
    private final int server;
    private final int network;
    private final int broadcast;
    private final int mask;
    private final Map<Integer, byte[]> parameters;

    AddressPool(DhcpConfig config) {
        this.config = config;
        this.ranges = config.ranges();
        this.firstIndex = new long[ranges.size()];
        long n = 0;
        for (int i = 0; i < ranges.size(); i++) {
            firstIndex[i] = n;
            n += ranges.get(i).size();
        }
        this.size = n;
        for (DhcpConfig.StaticHost h : config.hosts()) {
            if (h.mac() != null) {
                byMac.put(h.mac(), h);
            }
            if (h.clientId() != null) {
                byClientId.put(h.clientId(), h);
            }
            byIp.put(IpAddresses.toInt(h.ip()), h);
        }
        server = IpAddresses.toInt(config.serverAddress());
        network = IpAddresses.toInt((Inet4Address) config.subnet().network());
        broadcast = IpAddresses.toInt((Inet4Address) config.subnet().broadcast());
        mask = config.subnet().length() == 0 ? 0 : -1 << (32 - config.subnet().length());
        parameters = java.util.Collections.unmodifiableMap(DhcpServer.parameters(config));
    }

    /** Options every reply may carry, computed once per config (no per-packet BigInteger math). */
    Map<Integer, byte[]> parameters() {
        return parameters;
    }

    boolean inSubnet(Inet4Address a) {
        return (IpAddresses.toInt(a) & mask) == network;
    }

    DhcpConfig config() {
        return config;
    }

    long size() {
        return size;
    }

    /** The static reservation of this client (id first, then MAC), or null. */
    DhcpConfig.StaticHost hostFor(ClientId id, MacAddress mac) {
        DhcpConfig.StaticHost h = id == null ? null : byClientId.get(id);
        if (h == null && mac != null) {
            h = byMac.get(mac);
        }
        return h;
    }

    DhcpConfig.StaticHost reservationAt(int ip) {
        return byIp.get(ip);
    }

    /** True when {@code ip} may be handed out dynamically: in a range, not reserved, not special. */
    boolean isDynamic(int ip) {
        if (ip == server || ip == network || ip == broadcast || byIp.containsKey(ip)) {
            return false;
        }
        return rangeOf(ip) != null;
    }

    DhcpConfig.Range rangeOf(int ip) {
        for (DhcpConfig.Range r : ranges) {
            if (r.contains(ip)) {
                return r;
            }
        }
        return null;
    }

    /** The {@code index}-th dynamic candidate, 0 <= index < size. */
    int addressAt(long index) {
        for (int i = ranges.size() - 1; i >= 0; i--) {
            if (index >= firstIndex[i]) {
                return IpAddresses.toInt(ranges.get(i).start()) + (int) (index - firstIndex[i]);
            }
        }
        throw new IndexOutOfBoundsException(index);
    }
}
