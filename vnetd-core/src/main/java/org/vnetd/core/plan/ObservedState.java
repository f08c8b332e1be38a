package org.vnetd.core.plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.pool.ForwardPool;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * What a start plans against, as plain data: the kernel's links and routes ({@link KernelView}) and the networks
 * vnetd already runs. The driver observes it just before planning; tests write it by hand. A plan never
 * collides with it ({@link Collisions}).
 */
public record ObservedState(KernelView kernel, List<RunningNetwork> running) {
    /** An empty host: no links, no routes, no other network. */
    public static final ObservedState NOTHING = new ObservedState(KernelView.empty(), List.of());

    /** A network vnetd runs: its bridge (null when it has none) and subnets. */
    public record RunningNetwork(String name, String bridge, List<IpPrefix> subnets) {
        public RunningNetwork {
            subnets = List.copyOf(subnets);
        }

        public static RunningNetwork of(NetworkDef live) {
            return new RunningNetwork(live.name(), live.bridgeName().orElse(null),
                    live.ips().stream().map(IpDef::prefix).map(IpPrefix::networkPrefix).toList());
        }
    }

    public ObservedState {
        running = List.copyOf(running);
    }

    /**
     * A host that has what {@code def} needs (its forward device, its pool's interfaces) and nothing it collides with: what golden files
     * plan against, and what an older daemon's step ids are matched against (its network already runs).
     */
    public static ObservedState fitting(NetworkDef def) {
        Map<String, String> links = new HashMap<>();
        def.forwardDev().ifPresent(d -> links.put(d, ""));
        ForwardPool.hostInterfaces(def).forEach(d -> links.put(d, ""));
        return new ObservedState(new KernelView(links, List.of()), List.of());
    }
}
