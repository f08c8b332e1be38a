package org.vnetd.daemon.ovn;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.ovsdb.Condition;
import org.vnetd.core.ovsdb.OvsdbJson;
import org.vnetd.core.ovsdb.OvsdbOp;
import org.vnetd.core.ovsdb.OvsdbRemote;
import org.vnetd.core.ovsdb.OvsdbTransaction;
import org.vnetd.core.ovsdb.OvsdbValue;
import org.vnetd.daemon.ovsdb.OvsdbClient;

import io.netty.channel.EventLoopGroup;

/**
 * The daemon's OVSDB connections: one per northbound database (as the networks' {@code northbound}
 * attributes name them, shared by the networks naming the same one) and the local {@code Open_vSwitch}
 * database, opened on first use and kept (they reconnect by themselves), and this host's chassis name.
 */
public final class OvnConnections implements AutoCloseable {
    /** Where Debian's openvswitch-switch puts the local database's socket. */
    public static final String DEFAULT_OVS_DB = "unix:/run/openvswitch/db.sock";
    /** ovn-controller's integration bridge when {@code external_ids:ovn-bridge} names none. */
    public static final String DEFAULT_INTEGRATION_BRIDGE = "br-int";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final EventLoopGroup group;
    private final String ovsDb;
    private final Optional<String> chassis;
    private final Map<String, OvsdbClient> clients = new ConcurrentHashMap<>();
    /** Northbound remotes to the networks started on them; guarded by {@code this}. */
    private final Map<String, Set<String>> users = new HashMap<>();
    private volatile Consumer<String> healthListener = network -> { };

    /**
     * @param ovsDb   the local Open_vSwitch database
     * @param chassis this host's chassis name; when empty, the local database's {@code external_ids:system-id}
     *                (what ovn-controller registers the chassis as)
     */
    public OvnConnections(EventLoopGroup group, String ovsDb, Optional<String> chassis) {
        this.group = group;
        this.ovsDb = ovsDb;
        this.chassis = chassis;
    }

    public OvsdbClient northbound(String remotes) {
        return clients.computeIfAbsent(remotes, r -> {
            OvsdbClient client = OvsdbClient.open(OvsdbRemote.parseList(r), group, TIMEOUT);
            client.onConnectionChange(() -> networksOn(r).forEach(n -> healthListener.accept(n)));
            return client;
        });
    }

    /** Told the name of each network started on a northbound database whose connection was lost or made again. */
    public void onHealthChange(Consumer<String> listener) {
        healthListener = listener;
    }

    /**
     * Why network {@code network}, if started on OVN, is not served as it should be: its northbound database is
     * not connected (its guests keep their traffic, their bound ports and OVN's DHCP; what is missing is vnetd
     * making and removing ports, and leases listed).
     */
    public Optional<String> problem(String network) {
        for (String remotes : remotesOf(network)) {
            OvsdbClient client = clients.get(remotes);
            if (client != null && !client.isConnected()) {
                return Optional.of("OVN: the northbound database " + remotes + " does not answer (reconnecting); ports cannot be made "
                        + "or removed until it does");
            }
        }
        return Optional.empty();
    }

    private synchronized List<String> networksOn(String remotes) {
        return List.copyOf(users.getOrDefault(remotes, Set.of()));
    }

    private synchronized List<String> remotesOf(String network) {
        return users.entrySet().stream().filter(e -> e.getValue().contains(network)).map(Map.Entry::getKey).toList();
    }

    public OvsdbClient localSwitch() {
        return clients.computeIfAbsent(ovsDb, r -> OvsdbClient.open(OvsdbRemote.parseList(r), group, TIMEOUT));
    }

    public String ovsDb() {
        return ovsDb;
    }

    /** This host's chassis name: as configured, else the local Open_vSwitch database's system-id. */
    public String chassis() {
        if (chassis.isPresent()) {
            return chassis.get();
        }
        return localExternalId("system-id").orElseThrow(() -> new VnetException(ErrorCode.OVN,
                "cannot tell this host's OVN chassis: no --ovn-chassis and no external_ids:system-id in the Open_vSwitch database at "
                        + ovsDb));
    }

    /**
     * The bridge ovn-controller binds guests' interfaces on: the local database's {@code external_ids:ovn-bridge},
     * else {@code br-int} (ovn-controller's default).
     */
    public String integrationBridge() {
        return localExternalId("ovn-bridge").orElse(DEFAULT_INTEGRATION_BRIDGE);
    }

    private Optional<String> localExternalId(String key) {
        OvsdbTransaction read = new OvsdbTransaction("Open_vSwitch",
                List.of(new OvsdbOp.Select("Open_vSwitch", List.<Condition>of(), List.of("external_ids"))));
        var rows = OvsdbJson.rows(localSwitch().transact(read).get(0));
        if (!rows.isEmpty() && rows.getFirst().get("external_ids") instanceof OvsdbValue.MapOf ids
                && ids.entries().get(OvsdbValue.of(key)) instanceof OvsdbValue.Atom a) {
            return Optional.of(a.value().toString());
        }
        return Optional.empty();
    }

    /**
     * Closes and forgets the connections to {@code remotes} and to the local database if they never reached
     * their database: a network whose start failed on a wrong or absent address must not leave the daemon
     * retrying it for the rest of its life. The next use opens them again.
     */
    public void forgetUnconnected(String remotes) {
        for (String key : List.of(remotes, ovsDb)) {
            clients.computeIfPresent(key, (k, client) -> {
                if (client.isConnected()) {
                    return client;
                }
                client.close();
                return null;
            });
        }
    }

    /** Network {@code network} is started on the northbound database {@code remotes}: its connection is kept. */
    public synchronized void inUse(String remotes, String network) {
        users.computeIfAbsent(remotes, r -> new HashSet<>()).add(network);
    }

    /**
     * Network {@code network} no longer uses {@code remotes}: when no other network does, the connection is closed
     * and forgotten (it would otherwise keep reconnecting to a database nothing uses until the daemon stops). A
     * later use opens it again.
     */
    public void released(String remotes, String network) {
        OvsdbClient unused;
        synchronized (this) {
            Set<String> networks = users.get(remotes);
            if (networks != null) {
                networks.remove(network);
                if (!networks.isEmpty()) {
                    return;
                }
                users.remove(remotes);
            }
            unused = remotes.equals(ovsDb) ? null : clients.remove(remotes);
        }
        // outside the lock: closing waits for the event loop, which may be telling this object of a connection change
        if (unused != null) {
            unused.close();
        }
    }

    /** How many database connections are kept (connected or retrying). */
    int kept() {
        return clients.size();
    }

    @Override
    public void close() {
        clients.values().forEach(OvsdbClient::close);
        clients.clear();
    }
}
