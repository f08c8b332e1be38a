package org.vnetd.testing.dhcp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * busybox {@code udhcpc} ({@link Family#V4}) or {@code udhcpc6} ({@link Family#V6}) in the foreground with
 * {@code -R} (release on exit). For IPv4, optionally {@code -B} (ask for broadcast replies) and a hostname; for
 * IPv6 it asks for DNS servers and the search list. SIGUSR1 renews, SIGUSR2 releases (the script hears
 * "deconfig").
 */
public final class Udhcpc extends AbstractClient {
    /** The busybox with udhcpc6: {@code $VNETD_BUSYBOX_UDHCPC6}, else where scripts/setup builds it. */
    public static final Path BUSYBOX_UDHCPC6 = Path.of(System.getenv().getOrDefault("VNETD_BUSYBOX_UDHCPC6",
            "/var/tmp/vnetd-busybox/busybox"));

    /** What udhcpc is run as: its applet and busybox, what it asks for, and how its script sets the address. */
    public enum Family {
        // IPv4 only: a dual-stack guest keeps its IPv6 addresses (udhcpc6 needs the link-local one)
        V4("busybox", "udhcpc", List.of("-O", "mtu", "-O", "domain", "-O", "dns", "-O", "router"), """
                case "$1" in
                  bound|renew) ip -4 addr flush dev "$interface"; ip addr add "$ip/${mask:-24}" dev "$interface" ;;
                  deconfig) ip -4 addr flush dev "$interface" ;;
                esac"""),
        // Debian 12's busybox lacks the applet: scripts/build-busybox-udhcpc6 builds one. The address goes on
        // the interface without a DAD wait: udhcpc6 sends its RENEW and RELEASE from it.
        V6(BUSYBOX_UDHCPC6.toString(), "udhcpc6", List.of("-O", "dns", "-O", "search"), """
                case "$1" in
                  bound|renew) ip -6 addr replace "$ipv6/128" dev "$interface" nodad ;;
                  deconfig) ip -6 addr flush dev "$interface" scope global ;;
                esac""");

        private final String busybox;
        private final String applet;
        private final List<String> options;
        private final String script;

        Family(String busybox, String applet, List<String> options, String script) {
            this.busybox = busybox;
            this.applet = applet;
            this.options = options;
            this.script = script;
        }
    }

    private final boolean broadcast;
    private final String hostname;
    private final Family family;

    /** busybox's own {@code udhcpc}, the IPv4 client. */
    public Udhcpc(DhcpClientNs client, boolean broadcast, String hostname) {
        this(client, broadcast, hostname, Family.V4);
    }

    public Udhcpc(DhcpClientNs client, boolean broadcast, String hostname, Family family) {
        super(client, family.applet);
        if (family == Family.V6 && (broadcast || hostname != null)) {
            throw new IllegalArgumentException("udhcpc6 takes neither -B nor a hostname (broadcast " + broadcast
                    + ", hostname " + hostname + ")");
        }
        this.broadcast = broadcast;
        this.hostname = hostname;
        this.family = family;
        dir.script("\"$1\"", family.script);
    }

    @Override
    public String name() {
        return broadcast ? family.applet + " -B" : family.applet;
    }

    @Override
    protected List<String> command() {
        List<String> c = new ArrayList<>(List.of(family.busybox, family.applet, "-f", "-R", "-i", client.ifname(),
                "-t", "10", "-T", "1", "-A", "1", "-s", dir.file("hook.sh").toString()));
        c.addAll(family.options);
        if (broadcast) {
            c.add("-B");
        }
        if (hostname != null) {
            c.addAll(List.of("-x", "hostname:" + hostname));
        }
        return c;
    }

    @Override
    protected String[] boundEvents() {
        return new String[] {"bound"};
    }

    @Override
    protected String[] renewEvents() {
        return new String[] {"renew"};
    }

    /** Asks for an immediate renewal (SIGUSR1), then waits for it. */
    public DhcpLeaseInfo renewNow(Duration timeout) {
        signal("USR1");
        return next(timeout, "renew", "bound");
    }

    @Override
    public void release() {
        signal("USR2");
        next(DEFAULT_WAIT, "deconfig");
    }

    @Override
    protected DhcpLeaseInfo parse(String event, Map<String, String> env) {
        if (family == Family.V6) {
            return new DhcpLeaseInfo(env.get("ev"), env.get("ipv6"), null, null, dns(env.get("dns")), env.get("search"),
                    null, longOrNull(env.get("lease")), env);
        }
        return new DhcpLeaseInfo(env.get("ev"), env.get("ip"), env.get("subnet"), first(env.get("router")),
                dns(env.get("dns")), env.get("domain"), intOrNull(env.get("mtu")), longOrNull(env.get("lease")), env);
    }

    private static String first(String s) {
        return s == null ? null : s.trim().split("\\s+")[0];
    }
}
