package org.vnetd.core.driver;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * The networks the driver knows, by name, with what every part of it shares: the per-name locks,
 * lookup by name or uuid, the summary a listing shows, events, and the status writes of a network
 * already running.
 */
final class KnownNetworks {
    // the driver's category: operators see one logger for the network state machine
    private static final Logger LOG = LoggerFactory.getLogger(NetworkDriver.class);

    private final ConcurrentHashMap<String, NetworkEntry> byName = new ConcurrentHashMap<>();
    private final NetworkLocks locks = new NetworkLocks(120_000);
    private final StatusStore statuses;
    private final Consumer<NetworkEvent> events;
    private final ServiceHealth health;
    private final LongSupplier clock;

    KnownNetworks(StatusStore statuses, Consumer<NetworkEvent> events, ServiceHealth health, LongSupplier clock) {
        this.statuses = statuses;
        this.events = events;
        this.health = health;
        this.clock = clock;
    }

    NetworkEntry get(String name) {
        return byName.get(name);
    }

    void put(NetworkEntry e) {
        byName.put(e.name, e);
    }

    void remove(String name) {
        byName.remove(name);
    }

    Collection<NetworkEntry> all() {
        return byName.values();
    }

    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    boolean isEmpty() {
        return byName.isEmpty();
    }

    /** By name first, then by UUID (libvirt's virsh does the same). */
    NetworkEntry find(String network) {
        if (network == null || network.isEmpty()) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "network name or uuid is empty");
        }
        NetworkEntry e = byName.get(network);
        if (e != null) {
            return e;
        }
        Optional<UUID> uuid = parseUuid(network);
        if (uuid.isPresent()) {
            for (NetworkEntry n : byName.values()) {
                if (n.uuid.equals(uuid.get())) {
                    return n;
                }
            }
            throw VnetException.of(ErrorCode.NO_SUCH_NETWORK, "Network not found: no network with matching uuid '%s'", network);
        }
        throw VnetException.of(ErrorCode.NO_SUCH_NETWORK, "Network not found: no network with matching name '%s'", network);
    }

    private static Optional<UUID> parseUuid(String s) {
        if (s.length() != 36 && s.length() != 32) {
            return Optional.empty();
        }
        try {
            String t = s.length() == 32 ? s.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5") : s;
            return Optional.of(UUID.fromString(t));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Runs {@code action} under the lock of the network named or identified by {@code network}. */
    <T> T locked(String network, Function<NetworkEntry, T> action) {
        String name = find(network).name;
        return locks.with(name, () -> {
            NetworkEntry e = byName.get(name);
            if (e == null) {
                throw VnetException.of(ErrorCode.NO_SUCH_NETWORK, "Network not found: no network with matching name '%s'", name);
            }
            return action.apply(e);
        });
    }

    /** Runs {@code action} under the lock of {@code name}, whether or not such a network is known yet. */
    <T> T withLock(String name, Supplier<T> action) {
        return locks.with(name, action);
    }

    void runLocked(String name, Runnable action) {
        locks.run(name, action);
    }

    NetworkSummary summary(NetworkEntry e) {
        NetworkDef d = e.current();
        boolean active = e.active();
        return new NetworkSummary(e.name, e.uuid.toString(), active, e.persistentDefined(), e.autostart,
                d == null ? null : d.bridgeName().orElse(null), d == null ? null : d.getTitle(),
                active ? health.problem(e.name).orElse(null) : null);
    }

    /** See {@link NetworkDriver#serviceHealthChanged}. */
    void serviceHealthChanged(String network) {
        NetworkEntry e = byName.get(network);
        if (e == null || !e.active()) {
            return; // being started or adopted (a failure then fails or is logged there), or gone
        }
        Optional<String> problem = health.problem(network);
        if (problem.isPresent()) {
            LOG.warn("network '{}' is degraded: {}", network, problem.get());
        } else {
            LOG.info("network '{}': its services serve again", network);
        }
        emit(e, NetworkEvent.SERVICE_HEALTH, problem.isPresent() ? NetworkEvent.DEGRADED : NetworkEvent.REPAIRED);
    }

    void emit(NetworkEntry e, String event, String detail) {
        emit(e, event, detail, null);
    }

    void emit(NetworkEntry e, String event, String detail, String uri) {
        try {
            events.accept(new NetworkEvent(e.name, e.uuid.toString(), event, detail, clock.getAsLong(), uri));
        } catch (RuntimeException ex) {
            LOG.warn("event delivery failed: {}", ex.toString());
        }
    }

    void saveStatus(NetworkEntry e, NetworkStatus s) {
        statuses.save(s);
        e.status = s;
    }

    void deleteStatusQuietly(String name) {
        try {
            statuses.delete(name);
        } catch (RuntimeException ex) {
            LOG.error("cannot delete the status of '{}': {}", name, ex.getMessage());
        }
    }

    /** How executor logs and errors name the network. */
    static String subject(String network) {
        return "network '" + network + "'";
    }
}
