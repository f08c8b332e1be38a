package org.vnetd.core.ovn;

import static org.vnetd.core.ovsdb.OvsdbValue.named;
import static org.vnetd.core.ovsdb.OvsdbValue.of;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.vnetd.core.ovsdb.Condition;
import org.vnetd.core.ovsdb.Mutation;
import org.vnetd.core.ovsdb.OvsdbJson;
import org.vnetd.core.ovsdb.OvsdbOp;
import org.vnetd.core.ovsdb.OvsdbTransaction;
import org.vnetd.core.ovsdb.OvsdbValue;

/**
 * The northbound transactions of a network on OVN, as data. Each applies whole or not at all, and the
 * ones several hosts race on start with a {@code wait} (operation 0) that makes the loser's abort
 * instead of doubling a row: {@link #create} only if no host made the switch yet, {@link #join} only
 * if one did, {@link #leaveAsLast} only if no other host has the network started. The caller tries one
 * and, when its guard does not hold ({@code TransactionAborted.guardFailed(0)}), the other.
 */
public final class OvnNorthboundPlan {
    public static final String DB = "OVN_Northbound";
    static final String LS = "Logical_Switch";
    static final String LSP = "Logical_Switch_Port";
    static final String LR = "Logical_Router";
    /** The switch's {@code other_config} key of its {@link #digest} (read with {@link #readShared}). */
    public static final String DEFINITION = "vnetd:definition";

    private OvnNorthboundPlan() {
    }

    private static Condition ofNetwork(String networkUuid) {
        return Condition.includes("external_ids", OvsdbValue.stringMap(Map.of(OvnKeys.NETWORK, networkUuid)));
    }

    private static OvsdbValue sharedIds(OvnNetwork n) {
        return OvsdbValue.stringMap(baseIds(n));
    }

    private static Map<String, String> baseIds(OvnNetwork n) {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put(OvnKeys.NETWORK, n.uuid());
        ids.put(OvnKeys.NETWORK_NAME, n.name());
        return ids;
    }

    /** The network's switch exists (rows != none) or does not (rows == none), checked once. */
    private static OvsdbOp.Wait switchExists(String networkUuid, boolean exists) {
        return new OvsdbOp.Wait(LS, List.of(ofNetwork(networkUuid)), List.of("name"), !exists,
                List.of(), 0);
    }

    /**
     * Creates every shared row, with this host started on it; aborts at operation 0 if a switch of the network exists.
     * The switch's {@code other_config:vnetd:definition} is the {@link #digest} of the rows, so that a host joining with
     * a definition that maps to other rows can tell.
     */
    public static OvsdbTransaction create(OvnNetwork n, String hostId) {
        return new OvsdbTransaction(DB, createOps(n, hostId, Optional.of(digest(n))));
    }

    /**
     * What the network's definition makes in OVN, as a short hex digest (SHA-256 of the creating transaction, for no
     * host): the same for every host whose definition maps to the same rows, whatever else differs in the XML.
     */
    public static String digest(OvnNetwork n) {
        try {
            byte[] canonical = OvsdbJson.params(new OvsdbTransaction(DB, createOps(n, "", Optional.empty()))).toString()
                    .getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static List<OvsdbOp> createOps(OvnNetwork n, String hostId, Optional<String> digest) {
        List<OvsdbOp> ops = new ArrayList<>();
        ops.add(switchExists(n.uuid(), false));
        List<OvsdbValue> switchPorts = new ArrayList<>();
        if (!n.dhcpOptions().isEmpty()) {
            ops.add(OvsdbOp.insert("DHCP_Options", row("cidr", of(n.subnet().toString()),
                    "options", OvsdbValue.stringMap(n.dhcpOptions()), "external_ids", sharedIds(n)), "dhcp"));
        }
        boolean dns = !n.dnsRecords().isEmpty();
        if (dns) {
            ops.add(OvsdbOp.insert("DNS", row("records", OvsdbValue.stringMap(n.dnsRecords()), "external_ids", sharedIds(n)), "dns"));
        }
        n.router().ifPresent(r -> {
            ops.add(OvsdbOp.insert(LSP, row("name", of(r.switchPort()), "type", of("router"), "addresses", OvsdbValue.strings(List.of("router")),
                    "options", OvsdbValue.stringMap(Map.of("router-port", r.routerPort())), "external_ids", sharedIds(n)), "lsp_router"));
            switchPorts.add(named("lsp_router"));
            router(ops, n, r);
        });
        Map<String, String> ids = baseIds(n);
        ids.put(OvnKeys.hostKey(hostId), OvnKeys.STARTED);
        Map<String, String> otherConfig = new LinkedHashMap<>();
        otherConfig.put("subnet", n.subnet().toString());
        if (!n.excludeIps().isEmpty()) {
            otherConfig.put("exclude_ips", n.excludeIps());
        }
        digest.ifPresent(d -> otherConfig.put(DEFINITION, d));
        ops.add(OvsdbOp.insert(LS, row("name", of(n.switchName()), "other_config", OvsdbValue.stringMap(otherConfig),
                "ports", OvsdbValue.setOf(switchPorts), "dns_records", dns ? OvsdbValue.setOf(List.of(named("dns"))) : OvsdbValue.empty(),
                "external_ids", OvsdbValue.stringMap(ids)), "ls"));
        return ops;
    }

    private static void router(List<OvsdbOp> ops, OvnNetwork n, OvnRouter r) {
        ops.add(OvsdbOp.insert("Logical_Router_Port", row("name", of(r.routerPort()), "mac", of(r.mac()),
                "networks", OvsdbValue.strings(List.of(r.networks())), "external_ids", sharedIds(n)), "lrp"));
        List<OvsdbValue> routerPorts = new ArrayList<>(List.of(named("lrp")));
        List<OvsdbValue> routes = new ArrayList<>();
        List<OvsdbValue> nats = new ArrayList<>();
        Optional<OvnUplink> uplink = r.uplink();
        if (uplink.isPresent()) {
            OvnUplink u = uplink.get();
            String uplinkSwitch = n.switchName() + "-uplink";
            String uplinkRouterPort = r.routerPort() + "-uplink";
            ops.add(OvsdbOp.insert("Gateway_Chassis", row("name", of(uplinkRouterPort + "-" + u.chassis()), "chassis_name", of(u.chassis()),
                    "priority", of(1)), "gw_chassis"));
            ops.add(OvsdbOp.insert("Logical_Router_Port", row("name", of(uplinkRouterPort),
                    "mac", of(OvnNetworkMapper.derivedMac(java.util.UUID.fromString(n.uuid()), 1)),
                    "networks", OvsdbValue.strings(List.of(u.address().address().getHostAddress() + "/" + u.address().length())),
                    "gateway_chassis", OvsdbValue.setOf(List.of(named("gw_chassis"))), "external_ids", sharedIds(n)), "lrp_uplink"));
            routerPorts.add(named("lrp_uplink"));
            ops.add(OvsdbOp.insert(LSP, row("name", of("lsp-" + uplinkSwitch + "-localnet"), "type", of("localnet"),
                    "addresses", OvsdbValue.strings(List.of("unknown")), "options", OvsdbValue.stringMap(Map.of("network_name", u.network())),
                    "external_ids", sharedIds(n)), "lsp_localnet"));
            ops.add(OvsdbOp.insert(LSP, row("name", of("lsp-" + uplinkSwitch + "-router"), "type", of("router"),
                    "addresses", OvsdbValue.strings(List.of("router")), "options", OvsdbValue.stringMap(Map.of("router-port", uplinkRouterPort)),
                    "external_ids", sharedIds(n)), "lsp_uplink_router"));
            ops.add(OvsdbOp.insert(LS, row("name", of(uplinkSwitch),
                    "ports", OvsdbValue.setOf(List.of(named("lsp_localnet"), named("lsp_uplink_router"))),
                    "external_ids", OvsdbValue.stringMap(Map.of(OvnKeys.UPLINK_OF, n.uuid()))),
                    "ls_uplink"));
            if (u.nextHop() != null) {
                ops.add(OvsdbOp.insert("Logical_Router_Static_Route", row("ip_prefix", of("0.0.0.0/0"), "nexthop", of(u.nextHop()),
                        "external_ids", sharedIds(n)), "default_route"));
                routes.add(named("default_route"));
            }
            if (r.snat()) {
                ops.add(OvsdbOp.insert("NAT", row("type", of("snat"), "external_ip", of(u.address().address().getHostAddress()),
                        "logical_ip", of(n.subnet().toString()), "external_ids", sharedIds(n)), "snat"));
                nats.add(named("snat"));
            }
        }
        ops.add(OvsdbOp.insert(LR, row("name", of(r.name()), "ports", OvsdbValue.setOf(routerPorts), "static_routes", OvsdbValue.setOf(routes),
                "nat", OvsdbValue.setOf(nats), "external_ids", sharedIds(n)), "lr"));
    }

    /** Marks this host started on the existing switch; aborts at operation 0 if no host made it (or it was removed meanwhile). */
    public static OvsdbTransaction join(String networkUuid, String hostId) {
        return new OvsdbTransaction(DB, List.of(switchExists(networkUuid, true),
                new OvsdbOp.Mutate(LS, List.of(ofNetwork(networkUuid)),
                        List.of(Mutation.insert("external_ids", OvsdbValue.stringMap(Map.of(OvnKeys.hostKey(hostId), OvnKeys.STARTED)))))));
    }

    /** Takes this host off the switch and removes its ports ({@code portUuids}, read with {@link #readHostPorts}); others' stay. */
    public static OvsdbTransaction leave(String networkUuid, String hostId, List<String> portUuids) {
        return new OvsdbTransaction(DB, leaveOps(networkUuid, hostId, portUuids));
    }

    private static List<OvsdbOp> leaveOps(String networkUuid, String hostId, List<String> portUuids) {
        List<Mutation> mutations = new ArrayList<>();
        mutations.add(Mutation.delete("external_ids", OvsdbValue.strings(List.of(OvnKeys.hostKey(hostId)))));
        if (!portUuids.isEmpty()) {
            mutations.add(Mutation.delete("ports", OvsdbValue.setOf(portUuids.stream().map(OvsdbValue::uuid).toList())));
        }
        return new ArrayList<>(List.of(new OvsdbOp.Mutate(LS, List.of(ofNetwork(networkUuid)), mutations)));
    }

    /** The operation of {@link #leaveAsLast} whose failure means another host still has the network started. */
    public static final int LAST_HOST_GUARD = 1;

    /**
     * {@link #leave}, then removes every shared row of the network; aborts at {@link #LAST_HOST_GUARD}
     * if another host is still started on the switch (its key left in external_ids).
     */
    public static OvsdbTransaction leaveAsLast(OvnNetwork n, String hostId, List<String> portUuids) {
        List<OvsdbOp> ops = leaveOps(n.uuid(), hostId, portUuids);
        ops.add(new OvsdbOp.Wait(LS, List.of(ofNetwork(n.uuid())), List.of("external_ids"), true,
                List.of(row("external_ids", sharedIds(n))), 0));
        for (String table : List.of(LS, LR, "DHCP_Options", "DNS")) {
            ops.add(new OvsdbOp.Delete(table, List.of(ofNetwork(n.uuid()))));
        }
        ops.add(new OvsdbOp.Delete(LS, List.of(Condition.includes("external_ids", OvsdbValue.stringMap(Map.of(OvnKeys.UPLINK_OF, n.uuid()))))));
        return new OvsdbTransaction(DB, ops);
    }

    /** Reads the shared rows a port needs: the switch (0) and the DHCP options (1). */
    public static OvsdbTransaction readShared(String networkUuid) {
        return new OvsdbTransaction(DB, List.of(
                new OvsdbOp.Select(LS, List.of(ofNetwork(networkUuid)), List.of("_uuid", "name", "external_ids", "other_config")),
                new OvsdbOp.Select("DHCP_Options", List.of(ofNetwork(networkUuid)), List.of("_uuid"))));
    }

    /** Reads this host's ports on the network. */
    public static OvsdbTransaction readHostPorts(String networkUuid, String hostId) {
        return new OvsdbTransaction(DB, List.of(new OvsdbOp.Select(LSP, List.of(Condition.includes("external_ids",
                OvsdbValue.stringMap(portIds(networkUuid, hostId)))), List.of("_uuid", "name"))));
    }

    private static Map<String, String> portIds(String networkUuid, String hostId) {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put(OvnKeys.PORT_NETWORK, networkUuid);
        ids.put(OvnKeys.PORT_HOST, hostId);
        return ids;
    }

    /**
     * Adds a guest's port named {@code portName} (its interface's {@code iface-id}) with {@code mac}:
     * the reserved address if the network has one for the MAC, else one OVN hands out from the ranges.
     */
    public static OvsdbTransaction addPort(OvnNetwork n, String switchUuid, Optional<String> dhcpUuid, String hostId,
            String portName, String mac) {
        return addPort(n, switchUuid, dhcpUuid, hostId, portName, mac, Optional.empty());
    }

    /**
     * {@link #addPort(OvnNetwork, String, Optional, String, String, String)} with {@code address} (IPv4) as the
     * port's static address when given: the address a port asked for, or the one OVN gave the same guest on
     * another host (a migration). A {@code <dhcp><host>} reservation of the MAC comes first.
     */
    public static OvsdbTransaction addPort(OvnNetwork n, String switchUuid, Optional<String> dhcpUuid, String hostId,
            String portName, String mac, Optional<String> address) {
        String m = mac.toLowerCase(java.util.Locale.ROOT);
        String reserved = Optional.ofNullable(n.reservations().get(m)).or(() -> address).orElse("dynamic");
        Map<String, OvsdbValue> lsp = new LinkedHashMap<>();
        lsp.put("name", of(portName));
        lsp.put("addresses", OvsdbValue.strings(List.of(m + " " + reserved)));
        lsp.put("dhcpv4_options", dhcpUuid.map(u -> OvsdbValue.setOf(List.of(OvsdbValue.uuid(u)))).orElse(OvsdbValue.empty()));
        lsp.put("external_ids", OvsdbValue.stringMap(portIds(n.uuid(), hostId)));
        return new OvsdbTransaction(DB, List.of(
                OvsdbOp.insert(LSP, lsp, "port"),
                new OvsdbOp.Mutate(LS, List.of(Condition.uuidIs(switchUuid)),
                        List.of(Mutation.insert("ports", OvsdbValue.setOf(List.of(named("port"))))))));
    }

    /**
     * Every guest port of the network, of every host: name, addresses, the address OVN gave a {@code dynamic}
     * one ({@code dynamic_addresses}, {@code "MAC IP"}) and external_ids (the host that made it).
     */
    public static OvsdbTransaction readNetworkPorts(String networkUuid) {
        return new OvsdbTransaction(DB, List.of(new OvsdbOp.Select(LSP, List.of(Condition.includes("external_ids",
                OvsdbValue.stringMap(Map.of(OvnKeys.PORT_NETWORK, networkUuid)))),
                List.of("_uuid", "name", "addresses", "dynamic_addresses", "external_ids", "up"))));
    }

    /** Removes one of this host's ports (its row uuid, read with {@link #readHostPorts}). */
    public static OvsdbTransaction removePort(String networkUuid, String portUuid) {
        return new OvsdbTransaction(DB, List.of(new OvsdbOp.Mutate(LS, List.of(ofNetwork(networkUuid)),
                List.of(Mutation.delete("ports", OvsdbValue.setOf(List.of(OvsdbValue.uuid(portUuid))))))));
    }

    private static Map<String, OvsdbValue> row(Object... kv) {
        Map<String, OvsdbValue> row = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            row.put((String) kv[i], (OvsdbValue) kv[i + 1]);
        }
        return row;
    }
}
