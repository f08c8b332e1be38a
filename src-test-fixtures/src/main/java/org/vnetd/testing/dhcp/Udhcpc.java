package org.vnetd.testing.dhcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * busybox {@code udhcpc} in the foreground, with {@code -R} (release on exit) and optionally
 * {@code -B} (ask for broadcast replies). SIGUSR1 renews, SIGUSR2 releases.
 */
public final class Udhcpc extends AbstractClient {
    private final boolean broadcast;
    private final String hostname;

    public Udhcpc(DhcpClientNs client, boolean broadcast, String hostname) {
        super(client, "udhcpc");
        this.broadcast = broadcast;
        this.hostname = hostname;
        dir.script("\"$1\"", """
                case "$1" in
                  bound|renew) ip addr flush dev "$interface"; ip addr add "$ip/${mask:-24}" dev "$interface" ;;
                  deconfig) ip addr flush dev "$interface" ;;
                esac""");
    }

    @Override
    public String name() {
        return broadcast ? "udhcpc -B" : "udhcpc";
    }

    @Override
    protected List<String> command() {
        List<String> c = new ArrayList<>(List.of("busybox", "udhcpc", "-f", "-R", "-i", client.ifname(), "-t", "10", "-T", "1",
                "-A", "1", "-s", dir.file("hook.sh").toString(), "-O", "mtu", "-O", "domain", "-O", "dns", "-O", "router"));
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
        return new DhcpLeaseInfo(env.get("ev"), env.get("ip"), env.get("subnet"), first(env.get("router")),
                dns(env.get("dns")), env.get("domain"), intOrNull(env.get("mtu")), longOrNull(env.get("lease")), env);
    }

    private static String first(String s) {
        return s == null ? null : s.trim().split("\\s+")[0];
    }
}
