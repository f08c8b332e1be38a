package org.vnetd.daemon.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.vnetd.core.link.AddressInfo;
import org.vnetd.core.link.AddressSpec;
import org.vnetd.core.link.BridgeSpec;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.link.NeighbourSpec;
import org.vnetd.core.link.RouteInfo;
import org.vnetd.core.link.RouteSpec;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.net.MacAddress;

class NetlinkAddressRouteTest {
    @Test
    void ipv4WithBroadcastAndIpv6NoDad() {
        try (NetlinkNs t = NetlinkNs.create("nl-addr")) {
            t.run(() -> {
                t.backend.createBridge(BridgeSpec.of("virbr0"));
                t.backend.addAddress(AddressSpec.ipv4("virbr0", IpPrefix.parse("192.168.122.1/24")));
                t.backend.addAddress(AddressSpec.ipv6("virbr0", IpPrefix.parse("fd00:122::1/64"), true));
                t.backend.setUp("virbr0");
            });
            JsonNode addrs = t.json("ip", "-j", "addr", "show", "dev", "virbr0").get(0).get("addr_info");
            JsonNode v4 = find(addrs, "192.168.122.1");
            assertEquals(24, v4.get("prefixlen").asInt());
            assertEquals("192.168.122.255", v4.get("broadcast").asText());
            JsonNode v6 = find(addrs, "fd00:122::1");
            assertEquals(64, v6.get("prefixlen").asInt());
            assertTrue(v6.has("nodad") && v6.get("nodad").asBoolean(), v6.toString());

            List<AddressInfo> ours = t.in(t.backend::listAddresses);
            AddressInfo o4 = ours.stream().filter(a -> a.prefix().toString().equals("192.168.122.1/24")).findFirst().orElseThrow();
            assertEquals("virbr0", o4.ifname());
            assertEquals(Optional.of(IpAddresses.parse("192.168.122.255")), o4.broadcast());
            AddressInfo o6 = ours.stream().filter(a -> a.prefix().toString().equals("fd00:122::1/64")).findFirst().orElseThrow();
            assertTrue(o6.noDad());
            assertTrue(ours.stream().anyMatch(a -> a.ifname().equals("lo")), "dump covers every interface");

            KernelException dup = assertThrows(KernelException.class,
                    () -> t.run(() -> t.backend.addAddress(AddressSpec.ipv4("virbr0", IpPrefix.parse("192.168.122.1/24")))));
            assertEquals("EEXIST", dup.errnoName());

            t.run(() -> {
                t.backend.deleteAddress("virbr0", IpPrefix.parse("192.168.122.1/24"));
                t.backend.deleteAddress("virbr0", IpPrefix.parse("fd00:122::1/64"));
            });
            JsonNode after = t.json("ip", "-j", "addr", "show", "dev", "virbr0").get(0).get("addr_info");
            for (JsonNode a : after) {
                assertTrue(a.get("local").asText().startsWith("fe80:"), "only the link-local stays: " + after);
            }
            KernelException gone = assertThrows(KernelException.class,
                    () -> t.run(() -> t.backend.deleteAddress("virbr0", IpPrefix.parse("192.168.122.1/24"))));
            assertEquals("EADDRNOTAVAIL", gone.errnoName(), gone.getMessage());
            KernelException nodev = assertThrows(KernelException.class,
                    () -> t.run(() -> t.backend.addAddress(AddressSpec.ipv4("virbr9", IpPrefix.parse("10.0.0.1/24")))));
            assertEquals("ENODEV", nodev.errnoName());
        }
    }

    @Test
    void routesViaDeviceAndGateway() {
        try (NetlinkNs t = NetlinkNs.create("nl-route")) {
            t.run(() -> {
                t.backend.createBridge(BridgeSpec.of("virbr0").withStp(false));
                t.backend.addAddress(AddressSpec.ipv4("virbr0", IpPrefix.parse("192.168.122.1/24")));
                t.backend.addAddress(AddressSpec.ipv6("virbr0", IpPrefix.parse("fd00:1::1/64"), true));
                t.backend.setUp("virbr0");
                t.backend.addRoute(RouteSpec.viaGateway(IpPrefix.parse("10.10.0.0/16"), IpAddresses.parse("192.168.122.2")).withMetric(7));
                t.backend.addRoute(RouteSpec.viaDevice(IpPrefix.parse("172.30.0.0/24"), "virbr0"));
                t.backend.addRoute(RouteSpec.viaGateway(IpPrefix.parse("fd00:2::/64"), IpAddresses.parse("fd00:1::2")).withDevice("virbr0"));
            });
            JsonNode r4 = t.json("ip", "-j", "route", "show");
            JsonNode gw = findRoute(r4, "10.10.0.0/16");
            assertEquals("192.168.122.2", gw.get("gateway").asText());
            assertEquals(7, gw.get("metric").asInt());
            assertEquals("virbr0", gw.get("dev").asText());
            JsonNode dev = findRoute(r4, "172.30.0.0/24");
            assertEquals("link", dev.get("scope").asText());
            JsonNode r6 = t.json("ip", "-j", "-6", "route", "show");
            assertEquals("fd00:1::2", findRoute(r6, "fd00:2::/64").get("gateway").asText());

            List<RouteInfo> ours = t.in(t.backend::listRoutes);
            RouteInfo o = ours.stream().filter(r -> r.destination().toString().equals("10.10.0.0/16")).findFirst().orElseThrow();
            assertEquals(Optional.of(IpAddresses.parse("192.168.122.2")), o.gateway());
            assertEquals(Optional.of("virbr0"), o.device());
            assertEquals(7, o.metric().orElse(-1));

            KernelException dup = assertThrows(KernelException.class, () -> t.run(() -> t.backend.addRoute(
                    RouteSpec.viaDevice(IpPrefix.parse("172.30.0.0/24"), "virbr0"))));
            assertEquals("EEXIST", dup.errnoName());
            KernelException unreachable = assertThrows(KernelException.class, () -> t.run(() -> t.backend.addRoute(
                    RouteSpec.viaGateway(IpPrefix.parse("10.20.0.0/16"), IpAddresses.parse("10.99.99.99")))));
            assertEquals("ENETUNREACH", unreachable.errnoName(), unreachable.getMessage());

            t.run(() -> {
                t.backend.deleteRoute(RouteSpec.viaGateway(IpPrefix.parse("10.10.0.0/16"), IpAddresses.parse("192.168.122.2")).withMetric(7));
                t.backend.deleteRoute(RouteSpec.viaDevice(IpPrefix.parse("172.30.0.0/24"), "virbr0"));
                t.backend.deleteRoute(RouteSpec.viaGateway(IpPrefix.parse("fd00:2::/64"), IpAddresses.parse("fd00:1::2")).withDevice("virbr0"));
            });
            String after = t.ns.execOk("ip", "route", "show") + t.ns.execOk("ip", "-6", "route", "show");
            assertTrue(!after.contains("10.10.0.0") && !after.contains("172.30.0.0") && !after.contains("fd00:2::"), after);
            KernelException missing = assertThrows(KernelException.class, () -> t.run(() -> t.backend.deleteRoute(
                    RouteSpec.viaDevice(IpPrefix.parse("172.30.0.0/24"), "virbr0"))));
            assertEquals("ESRCH", missing.errnoName(), missing.getMessage());
        }
    }

    @Test
    void permanentNeighbour() {
        try (NetlinkNs t = NetlinkNs.create("nl-neigh")) {
            NeighbourSpec n = new NeighbourSpec("virbr0", IpAddresses.parse("192.168.122.50"), MacAddress.parse("52:54:00:11:22:33"));
            t.run(() -> {
                t.backend.createBridge(BridgeSpec.of("virbr0").withStp(false));
                t.backend.addAddress(AddressSpec.ipv4("virbr0", IpPrefix.parse("192.168.122.1/24")));
                t.backend.addNeighbour(n);
                t.backend.addNeighbour(n); // replace, not EEXIST
            });
            JsonNode neigh = t.json("ip", "-j", "neigh", "show", "dev", "virbr0");
            assertEquals(1, neigh.size(), neigh.toString());
            assertEquals("192.168.122.50", neigh.get(0).get("dst").asText());
            assertEquals("52:54:00:11:22:33", neigh.get(0).get("lladdr").asText());
            assertEquals("PERMANENT", neigh.get(0).get("state").get(0).asText());
            t.run(() -> t.backend.deleteNeighbour(n));
            assertEquals(0, t.json("ip", "-j", "neigh", "show", "dev", "virbr0").size());
        }
    }

    private static JsonNode find(JsonNode addrs, String local) {
        for (JsonNode a : addrs) {
            if (a.get("local").asText().equals(local)) {
                return a;
            }
        }
        throw new AssertionError(local + " not in " + addrs);
    }

    private static JsonNode findRoute(JsonNode routes, String dst) {
        for (JsonNode r : routes) {
            if (r.get("dst").asText().equals(dst)) {
                return r;
            }
        }
        throw new AssertionError(dst + " not in " + routes);
    }
}
