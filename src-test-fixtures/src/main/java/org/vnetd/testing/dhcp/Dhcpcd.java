package org.vnetd.testing.dhcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.vnetd.testing.Exec;

/**
 * {@code dhcpcd} (IPv4 only, no ARP probe, no IPv4LL, foreground) with a private config and hook
 * script; {@link #release()} runs {@code dhcpcd -k} on its interface. dhcpcd keeps its own state
 * per interface name, which {@link DhcpTopology} makes unique.
 */
public final class Dhcpcd extends AbstractClient {
    /** How long a stopping dhcpcd may take before it is killed (its privsep helpers exit with it). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    public Dhcpcd(DhcpClientNs client, String hostname) {
        super(client, "dhcpcd");
        dir.script("\"$reason\"", "");
        String conf = "option subnet_mask, routers, domain_name_servers, domain_name, interface_mtu\n"
                + "nohook resolv.conf, timesyncd, ntp, hostname\n"
                + (hostname == null ? "" : "hostname " + hostname + "\n");
        try {
            Files.writeString(dir.file("dhcpcd.conf"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "dhcpcd";
    }

    @Override
    protected List<String> command() {
        return List.of("dhcpcd", "-4", "-B", "-A", "-L", "-t", "30", "-f", dir.file("dhcpcd.conf").toString(),
                "-c", dir.file("hook.sh").toString(), client.ifname());
    }

    @Override
    protected String[] boundEvents() {
        return new String[] {"BOUND", "REBOOT"};
    }

    @Override
    protected String[] renewEvents() {
        return new String[] {"RENEW", "REBIND"};
    }

    @Override
    public void release() {
        Exec.run(java.time.Duration.ofSeconds(30), null, concat(client.ns().prefix(),
                List.of("dhcpcd", "-4", "-k", "-f", dir.file("dhcpcd.conf").toString(), client.ifname())));
        next(DEFAULT_WAIT, "RELEASE", "STOP", "STOPPED", "EXPIRE", "NOCARRIER");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        var c = new java.util.ArrayList<>(a);
        c.addAll(b);
        return c;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            // SIGTERM (Process.destroy) is what "dhcpcd -x" sends: stop without releasing. Signalling our own pid
            // directly (ip netns exec execs, so it is dhcpcd's) avoids a second dhcpcd that talks to
            // the control socket and waits unboundedly for the exit; on a loaded machine that took
            // over 10 s. Wait a bounded time for a clean exit, then the base class kills what is left.
            process.destroy();
            try {
                process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        super.close();
        // dhcpcd keeps its lease under /var/lib/dhcpcd by interface name (ours are unique): remove it
        for (String suffix : new String[] {".lease", "-4.lease"}) {
            try {
                Files.deleteIfExists(java.nio.file.Path.of("/var/lib/dhcpcd", client.ifname() + suffix));
            } catch (IOException ignored) {
                // a leftover lease file of a deleted test interface is harmless
            }
        }
    }

    @Override
    protected DhcpLeaseInfo parse(String event, Map<String, String> env) {
        String mask = env.get("new_subnet_mask");
        return new DhcpLeaseInfo(env.get("reason"), env.get("new_ip_address"), mask,
                first(env.get("new_routers")), dns(env.get("new_domain_name_servers")), env.get("new_domain_name"),
                intOrNull(env.get("new_interface_mtu")), longOrNull(env.get("new_dhcp_lease_time")), env);
    }

    private static String first(String s) {
        return s == null ? null : s.trim().split("\\s+")[0];
    }
}
