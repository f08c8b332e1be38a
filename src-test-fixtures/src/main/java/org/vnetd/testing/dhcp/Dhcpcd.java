package org.vnetd.testing.dhcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.vnetd.testing.Exec;

/**
 * {@code dhcpcd} in the foreground with a private config and hook script, for one address family:
 * {@link Family#V4} (no ARP probe, no IPv4LL) or {@link Family#V6} (router solicitation, then DHCPv6 for
 * one IA_NA when the advertisement sets M). {@link #renewNow} runs {@code dhcpcd -N} and
 * {@link #release()} {@code dhcpcd -k} on its interface, through dhcpcd's control socket; dhcpcd keeps
 * that socket and its lease per interface name, so give each one a name unique on the machine
 * ({@link DhcpTopology} does).
 */
public final class Dhcpcd extends AbstractClient {
    /** What dhcpcd is run for: its flag, config, hook events and the lease's environment variables. */
    public enum Family {
        V4("-4", "option subnet_mask, routers, domain_name_servers, domain_name, interface_mtu\n", "",
                new String[] {"BOUND", "REBOOT"}, new String[] {"RENEW", "REBIND"},
                new String[] {"RELEASE", "STOP", "STOPPED", "EXPIRE", "NOCARRIER"}, new String[] {".lease", "-4.lease"}),
        V6("-6", "ipv6only\nia_na 1\noption dhcp6_name_servers, dhcp6_domain_search\n", "6",
                new String[] {"BOUND6", "REBOOT6"}, new String[] {"RENEW6", "REBIND6"},
                new String[] {"RELEASE6", "STOP6", "STOPPED", "EXPIRE6"}, new String[] {".lease6", "-6.lease"});

        private final String flag;
        private final String options;
        private final String suffix;
        private final String[] bound;
        private final String[] renewed;
        private final String[] released;
        private final String[] leaseFiles;

        Family(String flag, String options, String suffix, String[] bound, String[] renewed, String[] released, String[] leaseFiles) {
            this.flag = flag;
            this.options = options;
            this.suffix = suffix;
            this.bound = bound;
            this.renewed = renewed;
            this.released = released;
            this.leaseFiles = leaseFiles;
        }
    }

    /** How long a stopping dhcpcd may take before it is killed (its privsep helpers exit with it). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private final Family family;

    public Dhcpcd(DhcpClientNs client, String hostname, Family family) {
        super(client, "dhcpcd" + family.suffix);
        this.family = family;
        dir.script("\"$reason\"", "");
        String conf = family.options
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
        return "dhcpcd " + family.flag;
    }

    @Override
    protected List<String> command() {
        List<String> c = new ArrayList<>(List.of("dhcpcd", family.flag, "-B"));
        c.addAll(family == Family.V4 ? List.of("-A", "-L", "-t", "30") : List.of("-t", "60"));
        c.addAll(List.of("-f", dir.file("dhcpcd.conf").toString(), "-c", dir.file("hook.sh").toString(), client.ifname()));
        return c;
    }

    @Override
    protected String[] boundEvents() {
        return family.bound;
    }

    @Override
    protected String[] renewEvents() {
        return family.renewed;
    }

    /** {@code dhcpcd -N}: the running client renews its lease now; waits for the hook to hear it. */
    public DhcpLeaseInfo renewNow(Duration timeout) {
        control("-N");
        return awaitRenew(timeout);
    }

    @Override
    public void release() {
        control("-k");
        next(DEFAULT_WAIT, family.released);
    }

    private void control(String flag) {
        List<String> argv = new ArrayList<>(client.ns().prefix());
        argv.addAll(List.of("dhcpcd", family.flag, flag, "-f", dir.file("dhcpcd.conf").toString(), client.ifname()));
        Exec.run(Duration.ofSeconds(30), null, argv);
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
        for (String suffix : family.leaseFiles) {
            try {
                Files.deleteIfExists(Path.of("/var/lib/dhcpcd", client.ifname() + suffix));
            } catch (IOException ignored) {
                // a leftover lease file of a deleted test interface is harmless
            }
        }
    }

    @Override
    protected DhcpLeaseInfo parse(String event, Map<String, String> env) {
        if (family == Family.V6) {
            return new DhcpLeaseInfo(env.get("reason"), env.get("new_dhcp6_ia_na1_ia_addr1"), null, null,
                    dns(env.get("new_dhcp6_name_servers")), env.get("new_dhcp6_domain_search"), null,
                    longOrNull(env.get("new_dhcp6_ia_na1_ia_addr1_vltime")), env);
        }
        return new DhcpLeaseInfo(env.get("reason"), env.get("new_ip_address"), env.get("new_subnet_mask"),
                first(env.get("new_routers")), dns(env.get("new_domain_name_servers")), env.get("new_domain_name"),
                intOrNull(env.get("new_interface_mtu")), longOrNull(env.get("new_dhcp_lease_time")), env);
    }

    private static String first(String s) {
        return s == null ? null : s.trim().split("\\s+")[0];
    }
}
