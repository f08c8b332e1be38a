package org.vnetd.cli.doctor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What networks on OVN ({@code <vnetd:ovn>}, docs/ovn.md) need on this host: the northbound database
 * they name answering, {@code ovn-controller} running (it binds this host's guest ports), and the local
 * Open_vSwitch database saying who this chassis is and where its tunnels end ({@code ovn-encap-ip}).
 * Says nothing when no network is bound to OVN.
 */
public final class OvnCheck implements Check {
    static final String NAME = "ovn";

    @Override
    public List<Finding> run(HostProbe host, List<NetworkFacts> networks) {
        Set<String> northbounds = new LinkedHashSet<>();
        List<String> names = new ArrayList<>();
        for (NetworkFacts n : networks) {
            n.ovnNorthbound().ifPresent(nb -> {
                northbounds.add(nb);
                names.add(n.name());
            });
        }
        if (northbounds.isEmpty()) {
            return List.of();
        }
        List<Finding> findings = new ArrayList<>();
        for (String nb : northbounds) {
            Optional<String> why = host.ovsdbUnreachable(nb);
            if (why.isPresent()) {
                List<String> of = networks.stream().filter(n -> n.ovnNorthbound().equals(Optional.of(nb))).map(NetworkFacts::name).toList();
                findings.add(new Finding(NAME, Severity.FAIL, "the OVN northbound database " + nb + " of " + String.join(", ", of)
                        + " does not answer", "starting these networks fails (error 26, OVN) and their ports cannot be made: "
                        + why.get(), "start the northbound database on the central node (systemctl start ovn-central), or correct "
                        + "<vnetd:ovn northbound=...> (vnetctl net-edit NAME)"));
            }
        }
        for (NetworkFacts n : networks) {
            if (!n.summary().active() || n.ovnNorthbound().isEmpty() || n.ovnDefinition().isEmpty()) {
                continue;
            }
            Optional<String> inOvn = host.ovnDefinitionInOvn(n.ovnNorthbound().get(), n.summary().uuid());
            if (inOvn.isPresent() && !inOvn.get().equals(n.ovnDefinition().get())) {
                findings.add(new Finding(NAME, Severity.WARN, "network '" + n.name() + "' is defined differently here than on the host "
                        + "that made it in OVN", "OVN keeps the rows of the first host's definition (definition " + inOvn.get()
                        + "; this host's maps to " + n.ovnDefinition().get() + "): its DHCP ranges, reservations, DNS names and router "
                        + "serve this host's guests, not what this host's XML says", "define the same XML on every host (vnetctl "
                        + "net-dumpxml " + n.name() + " on the first host, vnetctl net-define here), then net-destroy and net-start "
                        + "it on every host"));
            }
        }
                if (!host.processRunning("ovn-controller")) {
            findings.add(new Finding(NAME, Severity.FAIL, "ovn-controller is not running on this host (networks on OVN: "
                    + String.join(", ", names) + ")", "nothing binds this host's guest ports to their logical ports: its guests get "
                    + "no DHCP answer and no traffic", "systemctl enable --now ovn-controller (package ovn-host)"));
        }
        Optional<Map<String, String>> ids = host.openVswitchExternalIds();
        if (ids.isEmpty()) {
            findings.add(new Finding(NAME, Severity.FAIL, "the local Open_vSwitch database cannot be read",
                    "this host's chassis name (system-id) and tunnel endpoint come from it, and guests' taps join its integration bridge",
                    "systemctl enable --now openvswitch-switch"));
        } else {
            String chassis = ids.get().getOrDefault("system-id", "");
            String encap = ids.get().get("ovn-encap-ip");
            if (encap == null || encap.isBlank()) {
                findings.add(new Finding(NAME, Severity.FAIL, "chassis " + (chassis.isEmpty() ? "(no system-id)" : chassis)
                        + " has no ovn-encap-ip", "ovn-controller builds no Geneve tunnel from this host: its guests reach no guest on "
                        + "another host", "ovs-vsctl set Open_vSwitch . external_ids:ovn-encap-type=geneve "
                        + "external_ids:ovn-encap-ip=ADDRESS (this host's address on the underlay)"));
            }
            if (!ids.get().containsKey("ovn-remote")) {
                findings.add(new Finding(NAME, Severity.FAIL, "chassis " + (chassis.isEmpty() ? "(no system-id)" : chassis)
                        + " has no ovn-remote", "ovn-controller does not know the southbound database: it registers no chassis",
                        "ovs-vsctl set Open_vSwitch . external_ids:ovn-remote=tcp:CENTRAL:6642"));
            }
            if (findings.isEmpty()) {
                findings.add(Finding.ok(NAME, "OVN: chassis " + chassis + ", tunnels from " + encap + ", ovn-controller running, "
                        + "northbound database answering (" + String.join(", ", names) + ")"));
            }
        }
        return findings;
    }
}
