package org.vnetd.daemon.driver;

import java.util.Map;

import org.vnetd.core.firewall.FirewallBackend;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.link.Sysctl;
import org.vnetd.core.plan.Action;
import org.vnetd.core.plan.ActionBackends;
import org.vnetd.core.plan.Effects;
import org.vnetd.core.qos.TcBackend;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.daemon.qos.TcEffects;

/**
 * The daemon's side of start plans: each {@link Action} goes to its backend (netlink, sysctl, the
 * firewall backend, the in-process services). The {@link org.vnetd.core.plan.Executor} sequences
 * them and undoes what was applied when one fails.
 */
public final class KernelActions implements ActionBackends {
    private final LinkEffects links;
    private final SysctlEffects sysctl;
    private final FirewallEffects firewall;
    private final NetworkServices services;
    private final TcEffects tc;

    public KernelActions(LinkBackend links, Sysctl sysctl, FirewallBackend firewall, NetworkServices services, TcBackend tc) {
        this.links = new LinkEffects(links);
        this.sysctl = new SysctlEffects(sysctl);
        this.firewall = new FirewallEffects(firewall);
        this.services = services;
        this.tc = new TcEffects(tc);
    }

    @Override
    public Effects<Action> forNetwork(NetworkDef live) {
        return new NetworkEffects(new ServiceEffects(services, live));
    }

    @Override
    public void liveUpdate(NetworkDef oldDef, NetworkDef newDef, String section) {
        services.reconfigure(newDef);
    }

    /** One network's effects: the kernel-wide backends, and services configured from its live definition. */
    private final class NetworkEffects implements Effects<Action> {
        private final ServiceEffects serviceEffects;

        NetworkEffects(ServiceEffects serviceEffects) {
            this.serviceEffects = serviceEffects;
        }

        @Override
        public Map<String, String> apply(Action action) {
            return switch (action) {
                case Action.CreateBridge b -> links.create(b);
                case Action.AddAddress a -> links.add(a);
                case Action.LinkUp u -> links.up(u);
                case Action.AddRoute r -> links.add(r);
                case Action.Sysctls s -> sysctl.set(s);
                case Action.Firewall f -> firewall.apply(f.plan());
                case Action.StartDns d -> serviceEffects.start(d);
                case Action.StartTftp t -> serviceEffects.start(t);
                case Action.StartDhcp d -> serviceEffects.start(d);
                case Action.StartRa r -> serviceEffects.start(r);
                case Action.StartDhcp6 d -> serviceEffects.start(d);
                case Action.Tc t -> tc.apply(t.object());
            };
        }

        @Override
        public void undo(Action action, Map<String, String> record) {
            switch (action) {
                case Action.CreateBridge b -> links.delete(b);
                case Action.AddAddress a -> links.delete(a);
                case Action.LinkUp u -> links.down(u);
                case Action.AddRoute r -> links.delete(r);
                case Action.Sysctls s -> { } // forwarding stays on (libvirt never turns it off); the bridge's settings go with the bridge
                case Action.Firewall f -> firewall.remove(f.plan(), false);
                case Action.StartDns d -> serviceEffects.stop(d);
                case Action.StartTftp t -> serviceEffects.stop(t);
                case Action.StartDhcp d -> serviceEffects.stop(d);
                case Action.StartRa r -> serviceEffects.stop(r);
                case Action.StartDhcp6 d -> serviceEffects.stop(d);
                case Action.Tc t -> tc.undo(t.object(), record);
            }
        }

        @Override
        public void rollback(Action action, Map<String, String> record) {
            if (action instanceof Action.Firewall f) {
                firewall.rollback(f.plan(), record);
            } else {
                undo(action, record);
            }
        }

        @Override
        public Map<String, String> adopt(Action action, Map<String, String> record) {
            switch (action) {
                case Action.AddAddress a -> links.repair(a);
                case Action.LinkUp u -> links.repair(u);
                case Action.Firewall f -> {
                    return firewall.adopt(f.plan(), record);
                }
                // a service that cannot start again leaves the network degraded and is retried
                case Action.StartDns d -> serviceEffects.adopt(d);
                case Action.StartTftp t -> serviceEffects.adopt(t);
                case Action.StartDhcp d -> serviceEffects.adopt(d);
                case Action.StartRa r -> serviceEffects.adopt(r);
                case Action.StartDhcp6 d -> serviceEffects.adopt(d);
                case Action.CreateBridge b -> { } // the driver checked it is there; re-creating it would drop the guests
                case Action.AddRoute r -> { }
                case Action.Sysctls s -> { }
                case Action.Tc t -> { } // qdiscs, classes and filters stay with the bridge the driver found
            }
            return record;
        }

        @Override
        public Map<String, String> reload(Action action, Map<String, String> record) {
            return action instanceof Action.Firewall f ? firewall.apply(f.plan()) : record;
        }
    }
}
