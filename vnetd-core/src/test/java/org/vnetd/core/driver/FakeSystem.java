package org.vnetd.core.driver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.firewall.FirewallPlan;
import org.vnetd.core.plan.Action;
import org.vnetd.core.plan.ActionBackends;
import org.vnetd.core.plan.Effects;
import org.vnetd.core.plan.Collisions;
import org.vnetd.core.plan.KernelView;
import org.vnetd.core.plan.ObservedState;
import org.vnetd.core.plan.Plan;
import org.vnetd.core.plan.Planner;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * A recording fake of everything around the driver: a "kernel" of links and routes that the planned
 * actions change, in-memory stores, and an event log. Actions fail on demand.
 */
final class FakeSystem implements Planner, ActionBackends, KernelObserver, DefinitionStore {
    final Map<String, String> links = Collections.synchronizedMap(new TreeMap<>());
    final List<KernelView.Route> routes = new CopyOnWriteArrayList<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<NetworkEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, Stored> defs = Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, NetworkStatus> statuses = Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, String> setAside = new HashMap<>();
    /** Action label → error to throw when that action applies. */
    final Map<String, RuntimeException> failures = new HashMap<>();

    // ---- planner: bridge, one address per IP, "firewall", "dhcp"
    @Override
    public Plan plan(NetworkDef def, ObservedState observed) {
        Collisions.check(def, observed);
        List<Action> actions = new ArrayList<>();
        if (!def.forwardMode().hasBridge()) {
            return new Plan(def.name(), actions); // the host's devices: nothing to make
        }
        String br = def.bridgeName().orElseThrow();
        actions.add(bridge(br));
        for (IpDef ip : def.ips()) {
            actions.add(new Action.AddAddress(br, ip.prefix()));
        }
        actions.add(new Action.Firewall(new FirewallPlan(def.name(), br, List.of())));
        actions.add(new Action.StartDhcp(def.name(), br));
        return new Plan(def.name(), actions);
    }

    static Action bridge(String name) {
        return new Action.CreateBridge(name, true, 0, Optional.empty(), OptionalInt.empty());
    }

    /** The fake's name of an action, as its log and {@link #failures} use it. */
    static String label(Action a) {
        return switch (a) {
            case Action.CreateBridge b -> "bridge " + b.bridge();
            case Action.AddAddress ad -> "address " + ad.address();
            case Action.Firewall f -> "firewall " + f.plan().network();
            case Action.StartDhcp d -> "dhcp " + d.network();
            default -> a.describe();
        };
    }

    // ---- effects: the "kernel" of links and routes changes
    @Override
    public Effects<Action> forNetwork(NetworkDef live) {
        return new Effects<>() {
            public Map<String, String> apply(Action a) {
                String id = label(a);
                log.add("apply " + id);
                RuntimeException f = failures.get(id);
                if (f != null) {
                    throw f;
                }
                switch (a) {
                    case Action.CreateBridge b -> links.put(b.bridge(), "bridge");
                    case Action.AddAddress ad -> routes.add(route(ad));
                    default -> { }
                }
                return Map.of("by", "fake");
            }

            public void undo(Action a, Map<String, String> record) {
                log.add("undo " + label(a));
                switch (a) {
                    case Action.CreateBridge b -> links.remove(b.bridge());
                    case Action.AddAddress ad -> routes.remove(route(ad));
                    default -> { }
                }
            }

            public Map<String, String> adopt(Action a, Map<String, String> record) {
                log.add("adopt " + label(a));
                return record;
            }

            public Map<String, String> reload(Action a, Map<String, String> record) {
                log.add("reload " + label(a));
                return record;
            }
        };
    }

    private static KernelView.Route route(Action.AddAddress a) {
        return new KernelView.Route(a.address().networkPrefix(), a.device());
    }

    @Override
    public KernelView observe() {
        return new KernelView(new HashMap<>(links), List.copyOf(routes));
    }

    // ---- definitions
    @Override
    public List<Stored> loadAll() {
        return List.copyOf(defs.values());
    }

    @Override
    public void save(String name, String xml) {
        Stored old = defs.get(name);
        defs.put(name, new Stored(name, xml, old != null && old.autostart(), null));
    }

    @Override
    public void delete(String name) {
        if (defs.remove(name) == null) {
            throw new VnetException(ErrorCode.STATE_IO, "nothing to delete for " + name);
        }
    }

    @Override
    public void setAutostart(String name, boolean autostart) {
        Stored s = defs.get(name);
        defs.put(name, new Stored(name, s.xml(), autostart, null));
    }

    @Override
    public String setAside(String name, String reason) {
        setAside.put(name, reason);
        defs.remove(name);
        return "/aside/" + name;
    }

    // ---- statuses
    /** Each status write, in order: "whole NAME", "intent NAME" or "completion NAME". */
    final List<String> statusWrites = Collections.synchronizedList(new ArrayList<>());
    final StatusStore statusStore = new StatusStore() {
        public List<Loaded> loadAll() {
            return statuses.values().stream().map(s -> new Loaded(s.name(), s, null)).toList();
        }

        public void save(NetworkStatus status) {
            statusWrites.add("whole " + status.name());
            statuses.put(status.name(), status);
        }

        public void saveIntent(NetworkStatus intent) {
            statusWrites.add("intent " + intent.name());
            statuses.put(intent.name(), intent);
        }

        public void saveCompletion(NetworkStatus complete) {
            statusWrites.add("completion " + complete.name());
            statuses.put(complete.name(), complete);
        }

        public void delete(String name) {
            statuses.remove(name);
        }

        public String setAside(String name, String reason) {
            statuses.remove(name);
            setAside.put(name + ".json", reason);
            return "/aside/" + name + ".json";
        }
    };

    NetworkDriver driver() {
        return new NetworkDriver(this, statusStore, this, this, this, events::add, network -> List.of(), () -> 1000L,
                new java.util.Random(7));
    }
}
