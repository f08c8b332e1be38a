package org.vnetd.core.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The plan of a network vnetd takes over from libvirt while it runs, made from the plan that would start
 * it: what libvirt made (bridge, addresses, link state, routes, the bridge's traffic control) is {@link Action.Adopted}, never made
 * again, so guests' taps stay attached; vnetd's firewall rules go in where they would; libvirt lets go
 * ({@link Action.ReleaseFromLibvirt}) once they are in, and vnetd's services start after it. So the
 * network forwards all along: vnetd's rules accept before libvirt's are removed.
 */
public final class TakeoverPlan {
    private TakeoverPlan() {
    }

    public static Plan of(Plan start, Action.ReleaseFromLibvirt release) {
        List<Action> actions = new ArrayList<>();
        boolean released = false;
        for (Action a : start.actions()) {
            switch (a) {
                case Action.CreateBridge b -> actions.add(new Action.Adopted(b));
                case Action.AddAddress ad -> actions.add(new Action.Adopted(ad));
                case Action.LinkUp u -> actions.add(new Action.Adopted(u));
                case Action.AddRoute r -> actions.add(new Action.Adopted(r));
                case Action.Tc t -> actions.add(new Action.Adopted(t)); // libvirt shaped the bridge's <bandwidth> already
                case Action.Firewall f -> actions.add(f);
                case Action.FirewalldZone z -> actions.add(z); // the zone libvirt set, set again: the same zone by the same rules
                case Action.Sysctls s -> actions.add(s);
                case Action.StartDns s -> released = releaseThen(actions, released, release, s);
                case Action.StartTftp s -> released = releaseThen(actions, released, release, s);
                case Action.StartDhcp s -> released = releaseThen(actions, released, release, s);
                case Action.StartDhcp6 s -> released = releaseThen(actions, released, release, s);
                case Action.StartRa s -> released = releaseThen(actions, released, release, s);
                case Action.Adopted ad -> actions.add(ad);
                case Action.ReleaseFromLibvirt r -> throw new IllegalArgumentException("a start plan never releases: " + r.describe());
                case Action.OvnSwitch o -> throw new IllegalArgumentException("libvirt runs no network on OVN: " + o.describe());
            }
        }
        if (!released) {
            actions.add(release);
        }
        return new Plan(start.network(), actions);
    }

    private static boolean releaseThen(List<Action> actions, boolean released, Action.ReleaseFromLibvirt release, Action service) {
        if (!released) {
            actions.add(release);
        }
        actions.add(service);
        return true;
    }
}
