package org.vnetd.core.driver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * A recording fake of everything around the driver: a "kernel" of links and routes that the planned
 * steps change, in-memory stores, and an event log. Steps fail on demand.
 */
final class FakeSystem implements StartPlanner, KernelObserver, DefinitionStore {
    final Map<String, String> links = Collections.synchronizedMap(new TreeMap<>());
    final List<KernelView.Route> routes = new CopyOnWriteArrayList<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<NetworkEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, Stored> defs = Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, NetworkStatus> statuses = Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, String> setAside = new HashMap<>();
    /** Step id → error to throw when that step applies. */
    final Map<String, RuntimeException> failures = new HashMap<>();

    // ---- planner: bridge, one address per IP, "firewall", "dhcp"
    @Override
    public List<NetworkStep> plan(NetworkDef def) {
        List<NetworkStep> steps = new ArrayList<>();
        String br = def.bridgeName().orElseThrow();
        steps.add(step("bridge " + br, () -> links.put(br, "bridge"), () -> links.remove(br)));
        for (IpDef ip : def.ips()) {
            IpPrefix p = ip.prefix();
            KernelView.Route r = new KernelView.Route(p.networkPrefix(), br);
            steps.add(step("address " + p, () -> routes.add(r), () -> routes.remove(r)));
        }
        steps.add(step("firewall " + def.name(), () -> { }, () -> { }));
        steps.add(step("dhcp " + def.name(), () -> { }, () -> { }));
        return steps;
    }

    private NetworkStep step(String id, Runnable apply, Runnable undo) {
        return new NetworkStep() {
            public String id() {
                return id;
            }

            public Map<String, String> apply() {
                log.add("apply " + id);
                RuntimeException f = failures.get(id);
                if (f != null) {
                    throw f;
                }
                apply.run();
                return Map.of("by", "fake");
            }

            public void undo(Map<String, String> record) {
                log.add("undo " + id);
                undo.run();
            }

            public Map<String, String> adopt(Map<String, String> record) {
                log.add("adopt " + id);
                return record;
            }

            public Map<String, String> reload(Map<String, String> record) {
                log.add("reload " + id);
                return record;
            }
        };
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
    final StatusStore statusStore = new StatusStore() {
        public List<Loaded> loadAll() {
            return statuses.values().stream().map(s -> new Loaded(s.name(), s, null)).toList();
        }

        public void save(NetworkStatus status) {
            statuses.put(status.name(), status);
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
        return new NetworkDriver(this, statusStore, this, this, events::add, LeaseSource.none(), () -> 1000L,
                new java.util.Random(7));
    }
}
