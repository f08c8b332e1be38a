package org.vnetd.cli.doctor;

import java.util.List;
import java.util.Optional;

/**
 * Who answers libvirt's clients: vnetd serves libvirt's protocol on {@code /run/libvirt/virtnetworkd-sock}
 * unless libvirt's own network daemon already holds it (then vnetd leaves it alone and virsh and virtqemud
 * talk to libvirt), and a monolithic libvirtd next to vnetd runs a network driver of its own. Says nothing
 * when nothing listens there (vnetd runs with another run dir, or with {@code libvirt_protocol = no}).
 */
public final class LibvirtSocketCheck implements Check {
    static final String SOCKET = "/run/libvirt/virtnetworkd-sock";
    static final String LEGACY_SOCKET = "/run/libvirt/libvirt-sock";

    @Override
    public List<Finding> run(HostProbe host, List<NetworkFacts> networks) {
        List<HostProbe.Listener> listeners = host.unixListeners(SOCKET);
        if (listeners.isEmpty()) {
            return List.of();
        }
        List<HostProbe.Listener> others = listeners.stream().filter(l -> !l.isVnetd()).toList();
        if (!others.isEmpty() && others.size() < listeners.size()) {
            return List.of(new Finding("libvirt_socket", Severity.FAIL, "vnetd and " + others.getFirst() + " both listen on " + SOCKET,
                    "one of them bound the socket after the other: virsh -c network:///system and virtqemud reach the one that"
                            + " bound it last, and the other's networks are invisible to them",
                    "systemctl disable --now virtnetworkd.socket virtnetworkd-ro.socket virtnetworkd-admin.socket virtnetworkd;"
                            + " systemctl restart vnetd"));
        }
        if (!others.isEmpty()) {
            return List.of(new Finding("libvirt_socket", Severity.WARN, SOCKET + " is served by " + others.getFirst()
                    + ", not by vnetd",
                    "virsh -c network:///system and virtqemud talk to libvirt's network daemon, which knows nothing of"
                            + " vnetd's networks; vnetd left the socket alone",
                    "systemctl stop virtnetworkd.socket virtnetworkd-ro.socket virtnetworkd; systemctl restart vnetd"));
        }
        Optional<HostProbe.Listener> legacy = host.unixListener(LEGACY_SOCKET);
        if (legacy.isPresent() && !legacy.get().isVnetd()) {
            return List.of(new Finding("libvirt_socket", Severity.WARN, legacy.get() + " runs next to vnetd (" + LEGACY_SOCKET
                    + ")", "network:///system reaches vnetd, but libvirtd's own network driver still serves qemu:///system's"
                    + " domains and may start networks of its own",
                    "run one network daemon: disable libvirtd's networks (virsh -c qemu:///system net-autostart --disable"
                            + " NAME) or set libvirt_protocol = no in vnetd.conf"));
        }
        return List.of();
    }
}
