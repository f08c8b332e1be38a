package org.vnetd.daemon.port;

import java.net.Inet4Address;
import java.util.Optional;
import java.util.OptionalInt;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.link.LinkNames;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.rpc.Request;

/** The parameters of {@code port.create} (docs/rpc.md), checked before anything is touched. */
public record PortRequest(String network, MacAddress mac, OptionalInt ownerUid, OptionalInt ownerGid, Optional<String> tap,
        boolean multiQueue, int queues, boolean vnetHdr, Optional<String> portgroup, boolean passFd,
        Optional<Inet4Address> ip, Optional<Boolean> isolated, Optional<String> ownerName, Optional<String> ownerUuid) {
    /** Most queues a tap may get in one request (QEMU's virtio-net limit is far above what is sane per VM). */
    public static final int MAX_QUEUES = 64;

    public static PortRequest from(Request.PortCreate p) {
        String network = p.network();
        String macText = p.mac();
        MacAddress mac;
        try {
            mac = MacAddress.parse(macText);
        } catch (RuntimeException e) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "invalid MAC address '" + macText + "'");
        }
        if (mac.isMulticast()) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "MAC address '" + mac + "' is multicast; a guest needs a unicast address");
        }
        OptionalInt uid = id(p.ownerUid(), "ownerUid");
        OptionalInt gid = id(p.ownerGid(), "ownerGid");
        Optional<String> tap = Optional.ofNullable(p.tap());
        tap.ifPresent(t -> {
            LinkNames.check(t);
            if (t.contains("%")) {
                throw new VnetException(ErrorCode.INVALID_ARGUMENT, "tap name '" + t + "' must be a name, not a template");
            }
        });
        boolean multiQueue = p.multiQueue();
        int queues = p.queues();
        if (queues < 1 || queues > MAX_QUEUES) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "queues must be 1.." + MAX_QUEUES + ", not " + queues);
        }
        if (queues > 1 && !multiQueue) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, queues + " queues need multiQueue: true");
        }
        boolean passFd = p.passFd();
        if (queues > 1 && !passFd) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT,
                    "queues applies to passFd ports; a persistent multiqueue tap gets its queues from the program that opens it");
        }
        Optional<Inet4Address> ip = Optional.empty();
        String ipText = p.ip();
        if (ipText != null) {
            try {
                if (!(IpAddresses.parse(ipText) instanceof Inet4Address a)) {
                    throw new IllegalArgumentException();
                }
                ip = Optional.of(a);
            } catch (RuntimeException e) {
                throw new VnetException(ErrorCode.INVALID_ARGUMENT, "ip '" + ipText + "' is not an IPv4 address");
            }
        }
        return new PortRequest(network, mac, uid, gid, tap, multiQueue, queues, p.vnetHdr(),
                Optional.ofNullable(p.portgroup()), passFd, ip, Optional.ofNullable(p.isolated()),
                Optional.ofNullable(p.ownerName()), Optional.ofNullable(p.ownerUuid()));
    }

    private static OptionalInt id(Integer v, String name) {
        if (v == null) {
            return OptionalInt.empty();
        }
        if (v < 0) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, name + " must not be negative, not " + v);
        }
        return OptionalInt.of(v);
    }
}
