package org.vnetd.core.libvirtimport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.plan.Action;
import org.vnetd.core.plan.Planner;
import org.vnetd.core.plan.TakeoverPlan;
import org.vnetd.core.plan.UnappliedElements;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * Decides what importing libvirt's networks does, before anything is done: every definition must parse
 * and validate, and no name, uuid or bridge may be one of vnetd's own networks'; otherwise the import is
 * refused as a whole, naming every clash. A network vnetd has already with the same name and uuid (moved
 * by an earlier import) is left as it is, so an import can be run again.
 */
public final class ImportPlanner {
    private final Planner planner;

    /** @param planner vnetd's start planner: a takeover's steps are its plan, adopting what runs */
    public ImportPlanner(Planner planner) {
        this.planner = Objects.requireNonNull(planner);
    }

    public ImportPlan plan(LibvirtHost host, List<NetworkSummary> vnetd, boolean takeover) {
        List<String> problems = new ArrayList<>();
        List<NetworkImport> out = new ArrayList<>();
        for (LibvirtNetwork n : host.networks()) {
            try {
                out.add(plan(n, vnetd, takeover, host.firewalldZones(), problems));
            } catch (VnetException | IllegalArgumentException e) {
                problems.add("libvirt's network '" + n.name() + "': " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new VnetException(problems.stream().anyMatch(p -> p.contains("cannot be read")) ? ErrorCode.XML_VALIDATION
                    : ErrorCode.CONFLICT, "nothing imported: " + String.join("; ", problems));
        }
        return new ImportPlan(takeover, out);
    }

    private NetworkImport plan(LibvirtNetwork n, List<NetworkSummary> vnetd, boolean takeover, Map<String, String> firewalldZones,
            List<String> problems) {
        NetworkDef persistent = parse(n.configXml(), "its definition");
        NetworkDef live = parse(n.liveXml(), "its status (live definition)");
        NetworkDef def = persistent != null ? persistent : live;
        String name = def.name();
        if (!name.equals(n.name())) {
            throw new IllegalArgumentException("its file is named '" + n.name() + "' but defines network '" + name + "'");
        }
        if (def.uuid() == null) {
            throw new IllegalArgumentException("it has no uuid");
        }
        if (persistent != null && live != null && !persistent.uuid().equals(live.uuid())) {
            throw new IllegalArgumentException("its definition has uuid " + persistent.uuid() + " but the running one " + live.uuid());
        }
        String uuid = def.uuid().toString();
        String bridge = (live != null ? live : def).bridgeName().orElse(null);
        List<String> steps = new ArrayList<>();
        Optional<NetworkSummary> same = vnetd.stream().filter(s -> s.name().equals(name)).findFirst();
        if (same.isPresent() && same.get().uuid().equals(uuid)) {
            steps.add("vnetd has it already (same name and uuid): left as it is");
            return new NetworkImport(n, name, uuid, bridge, NetworkImport.Outcome.ALREADY_VNETD, persistent, live, null, steps);
        }
        int before = problems.size();
        same.ifPresent(s -> problems.add("name '" + name + "' is vnetd's network already (uuid " + s.uuid() + ")"));
        for (NetworkSummary s : vnetd) {
            if (!s.name().equals(name) && s.uuid().equals(uuid)) {
                problems.add("uuid " + uuid + " of libvirt's network '" + name + "' is vnetd's network '" + s.name() + "'");
            }
            if (!s.name().equals(name) && bridge != null && bridge.equals(s.bridge())) {
                problems.add("bridge '" + bridge + "' of libvirt's network '" + name + "' is the bridge of vnetd's network '"
                        + s.name() + "'");
            }
        }
        if (problems.size() > before) {
            return new NetworkImport(n, name, uuid, bridge, NetworkImport.Outcome.SKIPPED, persistent, live, null, steps);
        }
        List<UnappliedElements.Refusal> undefinable = persistent == null ? List.of() : UnappliedElements.of(persistent);
        if (!undefinable.isEmpty()) {
            // vnetd refuses to define it (NetworkLifecycle): it stays libvirt's, defined and, if it runs, running there
            steps.add("its definition uses what vnetd does not apply yet (" + String.join(", ",
                    undefinable.stream().map(UnappliedElements.Refusal::element).toList()) + "): not imported, it stays libvirt's"
                    + (live != null ? " and keeps running there" : ""));
            return new NetworkImport(n, name, uuid, bridge, NetworkImport.Outcome.SKIPPED, persistent, live, null, steps);
        }
        if (persistent != null) {
            NetworkXml.validate(NetworkXml.copy(persistent));
            steps.add("define it as libvirt keeps it (uuid " + uuid + (bridge != null ? ", bridge " + bridge : "")
                    + def.macAddress().map(m -> ", mac " + m).orElse("") + ")");
            if (n.autostart()) {
                steps.add("autostart it");
            }
        }
        Action.ReleaseFromLibvirt release = null;
        List<UnappliedElements.Refusal> unapplied = live == null ? List.of() : UnappliedElements.of(live);
        String zone = bridge == null ? null : firewalldZones.get(bridge);
        if (live != null && takeover && zone != null) {
            // firewalld's own tables decide for an interface in one of its zones: vnetd's rules alone would not
            // be the whole firewall, and taking the bridge out of the zone puts it in firewalld's default zone,
            // whose forward chain rejects the guests' traffic
            steps.add("firewalld has " + bridge + " in its zone '" + zone + "' (libvirt's firewalld backend): not taken over, it "
                    + "stays libvirt's; vnetd does not take over a bridge in a firewalld zone yet: stop firewalld (systemctl disable --now firewalld) "
                    + "and run the import again, or keep this network in libvirt");
            if (persistent == null) {
                return new NetworkImport(n, name, uuid, bridge, NetworkImport.Outcome.SKIPPED, persistent, live, null, steps);
            }
        } else if (live != null && takeover && !unapplied.isEmpty()) {
            // vnetd would refuse to run it (NetworkLifecycle), so libvirt is never asked to let go of it
            steps.add("libvirt runs it with what vnetd does not apply yet ("
                    + String.join(", ", unapplied.stream().map(UnappliedElements.Refusal::element).toList())
                    + "): not taken over, it stays libvirt's");
            if (persistent == null) {
                return new NetworkImport(n, name, uuid, bridge, NetworkImport.Outcome.SKIPPED, persistent, live, null, steps);
            }
        } else if (live != null && takeover) {
            NetworkXml.validate(NetworkXml.copy(live));
            release = new Action.ReleaseFromLibvirt(name, bridge == null ? "" : bridge, n.dnsmasqPid(), n.radvdPid(), n.leaseFile(),
                    n.statusFile());
            steps.add("take over the running network" + (persistent == null ? " (transient)" : "") + ", "
                    + n.leases().size() + " lease(s):");
            for (String line : TakeoverPlan.of(planner.plan(live), release).lines()) {
                steps.add("  " + line);
            }
            if (!n.ports().isEmpty()) {
                steps.add("record the " + n.ports().size() + " port(s) libvirt has for its running guests");
            }
        } else if (live != null && persistent == null) {
            steps.add("transient and running in libvirt: not imported (only --takeover moves it)");
            return new NetworkImport(n, name, uuid, bridge, NetworkImport.Outcome.SKIPPED, persistent, live, null, steps);
        } else {
            if (live != null) {
                steps.add("libvirt runs it: not taken over (--takeover does; or net-destroy it in libvirt, then net-start it here)");
            }
            if (!n.leases().isEmpty() && bridge != null) {
                steps.add("import " + n.leases().size() + " lease(s) of " + n.leaseFile().orElse("?") + " for " + bridge);
            }
        }
        return new NetworkImport(n, name, uuid, bridge, NetworkImport.Outcome.IMPORTED, persistent, live, release, steps);
    }

    private static NetworkDef parse(String xml, String what) {
        if (xml == null) {
            return null;
        }
        try {
            return NetworkXml.parse(xml);
        } catch (VnetException e) {
            throw new IllegalArgumentException(what + " cannot be read: " + e.getMessage(), e);
        }
    }
}
