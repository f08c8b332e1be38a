package org.vnetd.testing.dhcp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * busybox {@code udhcpc6} in the foreground with {@code -R} (release on exit), asking for DNS servers
 * and the search list. Debian 12's busybox lacks the applet: {@code scripts/build-busybox-udhcpc6}
 * builds one ({@link #BUSYBOX}). SIGUSR1 renews, SIGUSR2 releases (the script hears "deconfig").
 */
public final class Udhcpc6 extends AbstractClient {
    /** The busybox with udhcpc6: {@code $VNETD_BUSYBOX_UDHCPC6}, else where scripts/setup builds it. */
    public static final Path BUSYBOX = Path.of(System.getenv().getOrDefault("VNETD_BUSYBOX_UDHCPC6", "/var/tmp/vnetd-busybox/busybox"));

    public Udhcpc6(DhcpClientNs client) {
        super(client, "udhcpc6");
        // the address on the interface (no DAD wait): udhcpc6 sends its RENEW and RELEASE from it
        dir.script("\"$1\"", """
                case "$1" in
                  bound|renew) ip -6 addr replace "$ipv6/128" dev "$interface" nodad ;;
                  deconfig) ip -6 addr flush dev "$interface" scope global ;;
                esac""");
    }

    @Override
    public String name() {
        return "udhcpc6";
    }

    @Override
    protected List<String> command() {
        return List.of(BUSYBOX.toString(), "udhcpc6", "-f", "-R", "-i", client.ifname(), "-t", "10", "-T", "1", "-A", "1",
                "-s", dir.file("hook.sh").toString(), "-O", "dns", "-O", "search");
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
        return new DhcpLeaseInfo(env.get("ev"), env.get("ipv6"), null, null, dns(env.get("dns")), env.get("search"), null,
                longOrNull(env.get("lease")), env);
    }
}
