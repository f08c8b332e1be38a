package org.vnetd.cli.doctor;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The host state doctor reads: sysctls under /proc/sys and iproute2's JSON ({@code ip -j ...}). An interface
 * so the checks run against a test namespace ({@link CommandHostProbe} with {@code ip netns exec}) or canned data.
 */
public interface HostProbe {
    /** The value of {@code /proc/sys/<path>}, trimmed; empty when the file does not exist (module not loaded). */
    Optional<String> sysctl(String path);

    /** The JSON that {@code ip -j <args>} prints. */
    String ipJson(String... args);

    /** A program listening on a Unix socket. */
    record Listener(String program, int pid) {
        /** vnetd runs in a JVM: its launcher execs {@code java}. */
        public boolean isVnetd() {
            return program.equals("java") || program.equals("vnetd");
        }

        @Override
        public String toString() {
            return program + " (pid " + pid + ")";
        }
    }

    /** The program listening on the Unix socket {@code path} ({@code ss -xlp}); empty when nothing listens there. */
    default Optional<Listener> unixListener(String path) {
        return Optional.empty();
    }

    /**
     * Every program listening on the Unix socket {@code path}: two when one bound it after the other had
     * (systemd's socket unit of libvirt's network daemon, and vnetd).
     */
    default List<Listener> unixListeners(String path) {
        return unixListener(path).map(List::of).orElse(List.of());
    }

    /**
     * A bridge libvirt's network driver manages on this host: a network its status files say it runs, or a
     * dnsmasq it started for a network.
     *
     * @param evidence how it shows ({@code its status /run/libvirt/network/default.xml}, {@code its dnsmasq (pid 812)})
     */
    record LibvirtBridge(String network, String bridge, String evidence) {
    }

    /** What libvirt's network driver manages here; empty where that cannot be read. */
    default List<LibvirtBridge> libvirtBridges() {
        return List.of();
    }

    /** Whether a process named exactly {@code name} runs (in the probed namespace's host: processes are not per namespace). */
    default boolean processRunning(String name) {
        return false;
    }

    /** The local Open_vSwitch database's {@code external_ids} (this chassis' OVN settings); empty when it cannot be read. */
    default Optional<Map<String, String>> openVswitchExternalIds() {
        return Optional.empty();
    }

    /**
     * Why none of the OVSDB {@code remotes} (comma-separated, as {@code <vnetd:ovn northbound>} has them)
     * answers; empty when one does.
     */
    default Optional<String> ovsdbUnreachable(String remotes) {
        return Optional.empty();
    }

    /**
     * The {@code other_config:vnetd:definition} of network {@code networkUuid}'s logical switch in the northbound
     * database {@code remotes}: the digest of the definition the first host started it with; empty when it has none
     * or cannot be read.
     */
    default Optional<String> ovnDefinitionInOvn(String remotes, String networkUuid) {
        return Optional.empty();
    }

    /** Interface → firewalld zone, from firewalld's nftables table; empty when firewalld does not run (or is not seen). */
    default Map<String, String> firewalldZones() {
        return Map.of();
    }
}
