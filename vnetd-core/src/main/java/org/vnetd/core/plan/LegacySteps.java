package org.vnetd.core.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.vnetd.core.xml.model.NetworkDef;

/**
 * Reads the status of a network started by a vnetd that recorded step ids ("bridge virbr0",
 * "firewall default", …) instead of actions: the ids are matched against the plan of the recorded
 * live definition, each step's record going with its action, so such a network is adopted and
 * undone as if this daemon had started it.
 */
public final class LegacySteps {
    /** One step as those daemons persisted it. */
    public record Step(String id, Map<String, String> record) {
        public Step {
            record = record == null ? Map.of() : Map.copyOf(record);
        }
    }

    /** The recorded actions, and the step ids that matched no action of the plan (nothing to undo them by). */
    public record Converted(List<Applied<Action>> applied, List<String> unmatched) {
        public Converted {
            applied = List.copyOf(applied);
            unmatched = List.copyOf(unmatched);
        }
    }

    private LegacySteps() {
    }

    /**
     * @param complete false for a start those daemons did not finish: they undid the whole plan
     *                 after a crash whatever the recorded steps said, so every action is returned
     */
    public static Converted convert(NetworkDef live, boolean complete, List<Step> steps, Planner planner) {
        Plan plan = planner.plan(live);
        if (!complete) {
            return new Converted(plan.actions().stream().map(Applied::intended).toList(), List.of());
        }
        List<Applied<Action>> applied = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (Step s : steps) {
            boolean found = false;
            for (Action a : plan.actions()) {
                if (idOf(a).equals(s.id())) {
                    applied.add(new Applied<>(a, s.record()));
                    found = true;
                }
            }
            if (!found) {
                unmatched.add(s.id());
            }
        }
        return new Converted(applied, unmatched);
    }

    /** The id those daemons gave the step that did what {@code action} does. */
    static String idOf(Action action) {
        return switch (action) {
            case Action.CreateBridge b -> "bridge " + b.bridge();
            case Action.Firewall f -> "firewall " + f.plan().network();
            case Action.FirewalldZone z -> "firewalld zone " + z.bridge(); // those daemons set none: never matches
            case Action.AddAddress a -> "address " + a.address() + " on " + a.device();
            case Action.LinkUp u -> "up " + u.device();
            case Action.AddRoute r -> "route " + r.destination() + " via " + r.gateway().getHostAddress();
            case Action.Sysctls s -> "sysctl " + s.bridge();
            case Action.StartDns d -> "dns " + d.network();
            case Action.StartTftp t -> "tftp " + t.bridge();
            case Action.StartDhcp d -> "dhcp " + d.bridge();
            case Action.StartRa r -> "ra " + r.bridge(); // those daemons sent none: never matches
            case Action.StartDhcp6 d -> "dhcp6 " + d.bridge(); // nor served DHCPv6
            case Action.Tc t -> "tc " + t.describe(); // nor applied <bandwidth>
            case Action.Adopted a -> idOf(a.action()); // nor took networks over from libvirt
            case Action.ReleaseFromLibvirt r -> "release " + r.network();
            case Action.OvnSwitch o -> "ovn " + o.network(); // nor started OVN networks: never matches
        };
    }
}
