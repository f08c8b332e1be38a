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
 * {@code dhcpcd -6} in the foreground: router solicitation, then DHCPv6 for one IA_NA when the
 * advertisement sets M, with a private config and hook script. {@link #renewNow} runs {@code dhcpcd -N}
 * and {@link #release()} {@code dhcpcd -k} on its interface, through dhcpcd's control socket, which is
 * named after the interface: give each one a name unique on the machine.
 */
public final class Dhcpcd6 extends AbstractClient {
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    public Dhcpcd6(DhcpClientNs client, String hostname) {
        super(client, "dhcpcd6");
        dir.script("\"$reason\"", "");
        String conf = "ipv6only\nia_na 1\noption dhcp6_name_servers, dhcp6_domain_search\n"
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
        return "dhcpcd -6";
    }

    @Override
    protected List<String> command() {
        return List.of("dhcpcd", "-6", "-B", "-t", "60", "-f", dir.file("dhcpcd.conf").toString(),
                "-c", dir.file("hook.sh").toString(), client.ifname());
    }

    @Override
    protected String[] boundEvents() {
        return new String[] {"BOUND6", "REBOOT6"};
    }

    @Override
    protected String[] renewEvents() {
        return new String[] {"RENEW6", "REBIND6"};
    }

    /** {@code dhcpcd -N}: the running client renews its lease now (RENEW); waits for the hook to hear it. */
    public DhcpLeaseInfo renewNow(Duration timeout) {
        control("-N");
        return awaitRenew(timeout);
    }

    @Override
    public void release() {
        control("-k");
        next(DEFAULT_WAIT, "RELEASE6", "STOP6", "STOPPED", "EXPIRE6");
    }

    private void control(String flag) {
        List<String> argv = new ArrayList<>(client.ns().prefix());
        argv.addAll(List.of("dhcpcd", "-6", flag, "-f", dir.file("dhcpcd.conf").toString(), client.ifname()));
        Exec.run(Duration.ofSeconds(30), null, argv);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: stop without releasing
            try {
                process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        super.close();
        for (String suffix : new String[] {".lease6", "-6.lease"}) {
            try {
                Files.deleteIfExists(Path.of("/var/lib/dhcpcd", client.ifname() + suffix));
            } catch (IOException ignored) {
                // a leftover lease file of a deleted test interface is harmless
            }
        }
    }

    @Override
    protected DhcpLeaseInfo parse(String event, Map<String, String> env) {
        return new DhcpLeaseInfo(env.get("reason"), env.get("new_dhcp6_ia_na1_ia_addr1"), null, null,
                dns(env.get("new_dhcp6_name_servers")), env.get("new_dhcp6_domain_search"), null,
                longOrNull(env.get("new_dhcp6_ia_na1_ia_addr1_vltime")), env);
    }
}
