package org.vnetd.daemon.driver;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.firewall.FirewallBackend;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.link.Sysctl;
import org.vnetd.core.plan.Action;
import org.vnetd.core.plan.ActionBackends;
import org.vnetd.core.plan.Effects;
import org.vnetd.core.qos.TcBackend;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.daemon.firewalld.Firewalld;
import org.vnetd.daemon.firewalld.FirewalldZones;
import org.vnetd.daemon.qos.TcEffects;
import org.vnetd.daemon.libvirtimport.LibvirtRelease;
import org.vnetd.daemon.ovn.OvnEffects;

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
    private final LibvirtRelease libvirt;
    private final OvnEffects ovn;
    private final FirewalldZones zones;

    /** Without libvirt's side: such a daemon cannot take networks over from libvirt. */
    public KernelActions(LinkBackend links, Sysctl sysctl, FirewallBackend firewall, NetworkServices services, TcBackend tc) {
        this(links, sysctl, firewall, services, tc, null);
    }

    public KernelActions(LinkBackend links, Sysctl sysctl, FirewallBackend firewall, NetworkServices services, TcBackend tc,
            LibvirtRelease libvirt) {
        this(links, sysctl, firewall, services, tc, libvirt, null, new FirewalldZones(Firewalld.none()));
    }

    /**
     * @param ovn   the networks bound to OVN, or null for a daemon that cannot start them
     * @param zones the bridges' firewalld zones
     */
    public KernelActions(LinkBackend links, Sysctl sysctl, FirewallBackend firewall, NetworkServices services, TcBackend tc,
            LibvirtRelease libvirt, OvnEffects ovn, FirewalldZones zones) {
        this.ovn = ovn;
        this.zones = zones;
        this.links = new LinkEffects(links);
        this.sysctl = new SysctlEffects(sysctl);
        this.firewall = new FirewallEffects(firewall);
        this.services = services;
        this.tc = new TcEffects(tc);
        this.libvirt = libvirt;
    }

    @Override
    public Effects<Action> forNetwork(NetworkDef live) {
        return new NetworkEffects(live, new ServiceEffects(services, live));
    }

    @Override
    public void liveUpdate(NetworkDef oldDef, NetworkDef newDef, String section) {
        services.reconfigure(newDef);
    }

    /** One network's effects: the kernel-wide backends, and services configured from its live definition. */
    private final class NetworkEffects implements Effects<Action> {
        private final NetworkDef live;
        private final ServiceEffects serviceEffects;
        /** The devices whose tc qdiscs adoption had to make again (their filters then too). */
        private final Set<String> remadeQdiscs = new HashSet<>();

        NetworkEffects(NetworkDef live, ServiceEffects serviceEffects) {
            this.live = live;
            this.serviceEffects = serviceEffects;
        }

        /** What libvirt made is checked and repaired as a restarted daemon's adoption does: never made again. */
        private Map<String, String> takeOver(Action.Adopted a) {
            if (a.action() instanceof Action.CreateBridge b) {
                links.requireBridge(b);
            }
            return adopt(a.action(), Map.of());
        }

        private OvnEffects ovn() {
            if (ovn == null) {
                throw new VnetException(ErrorCode.OPERATION_UNSUPPORTED, "this daemon cannot start networks bound to OVN");
            }
            return ovn;
        }

        private Map<String, String> release(Action.ReleaseFromLibvirt r) {
            if (libvirt == null) {
                throw new VnetException(ErrorCode.INTERNAL, "this daemon cannot take networks over from libvirt");
            }
            return libvirt.release(r, live);
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
                case Action.FirewalldZone z -> zones.apply(z);
                case Action.StartDns d -> serviceEffects.start(d);
                case Action.StartTftp t -> serviceEffects.start(t);
                case Action.StartDhcp d -> serviceEffects.start(d);
                case Action.StartRa r -> serviceEffects.start(r);
                case Action.StartDhcp6 d -> serviceEffects.start(d);
                case Action.Tc t -> tc.apply(t.object());
                case Action.Adopted a -> takeOver(a);
                case Action.ReleaseFromLibvirt r -> release(r);
                case Action.OvnSwitch o -> ovn().apply(o, live);
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
                case Action.FirewalldZone z -> zones.undo(z, record);
                case Action.StartDns d -> serviceEffects.stop(d);
                case Action.StartTftp t -> serviceEffects.stop(t);
                case Action.StartDhcp d -> serviceEffects.stop(d);
                case Action.StartRa r -> serviceEffects.stop(r);
                case Action.StartDhcp6 d -> serviceEffects.stop(d);
                case Action.Tc t -> tc.undoWithQdisc(t.object(), record);
                case Action.Adopted a -> undo(a.action(), record); // vnetd's now: net-destroy removes it as libvirt's would
                // a network vnetd ran is not given back at its end (rollback gives a failed takeover back); a record left goes
                case Action.ReleaseFromLibvirt r -> committed(r, record);
                case Action.OvnSwitch o -> ovn().undo(o, live, record);
            }
        }

        @Override
        public void rollback(Action action, Map<String, String> record) {
            if (action instanceof Action.Firewall f) {
                firewall.rollback(f.plan(), record);
            } else if (action instanceof Action.ReleaseFromLibvirt r) {
                // a takeover that failed after libvirt let go: libvirt's side comes back before vnetd's rules go
                if (libvirt != null) {
                    libvirt.restore(r, record);
                }
            } else if (action instanceof Action.Adopted) {
                // a takeover that failed leaves what libvirt made as it found it
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
                case Action.FirewalldZone z -> {
                    return zones.ensure(z, record);
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
                case Action.Tc t -> {
                    return tc.adopt(t.object(), record, remadeQdiscs);
                }
                case Action.Adopted a -> {
                    return adopt(a.action(), record);
                }
                case Action.ReleaseFromLibvirt r -> committed(r, record); // done once, at the takeover, which had finished
                case Action.OvnSwitch o -> {
                    // the rows live in the database: joining again is a no-op when they are there, and makes them when not
                    return ovn().apply(o, live);
                }
            }
            return record;
        }

        @Override
        public void committed(Action action, Map<String, String> record) {
            if (action instanceof Action.ReleaseFromLibvirt r && libvirt != null) {
                libvirt.committed(r.network());
            }
        }

        @Override
        public Map<String, String> reload(Action action, Map<String, String> record) {
            return switch (action) {
                case Action.Firewall f -> firewall.apply(f.plan());
                case Action.FirewalldZone z -> zones.ensure(z, record);
                default -> record;
            };
        }
    }
}
