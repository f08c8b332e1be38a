package org.vnetd.testing.dhcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.vnetd.testing.Exec;

/**
 * ISC {@code dhclient} in the foreground ({@code -d}) with a private config, lease file, pid file
 * and script; {@link #release()} runs {@code dhclient -r} with the same files. As Debian's dhclient-script,
 * a renewal that keeps the address leaves the interface alone (its routes and traffic go on).
 */
public final class Dhclient extends AbstractClient {
    public Dhclient(DhcpClientNs client, String hostname) {
        super(client, "dhclient");
        dir.script("\"$reason\"", """
                case "$reason" in
                  BOUND|REBOOT) ip addr flush dev "$interface"; ip addr add "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
                  RENEW|REBIND) [ "$old_ip_address" = "$new_ip_address" ] || { ip addr flush dev "$interface"; ip addr add "$new_ip_address/$new_subnet_mask" dev "$interface"; } ;;
                  RELEASE|EXPIRE|STOP) ip addr flush dev "$interface" ;;
                esac""");
        String conf = "request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers, interface-mtu;\n"
                + (hostname == null ? "" : "send host-name \"" + hostname + "\";\n");
        try {
            Files.writeString(dir.file("dhclient.conf"), conf);
            Files.writeString(dir.file("dhclient.leases"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "dhclient";
    }

    private List<String> files() {
        return List.of("-cf", dir.file("dhclient.conf").toString(), "-lf", dir.file("dhclient.leases").toString(),
                "-pf", dir.file("dhclient.pid").toString(), "-sf", dir.file("hook.sh").toString());
    }

    @Override
    protected List<String> command() {
        var c = new java.util.ArrayList<>(List.of("dhclient", "-4", "-d", "-v"));
        c.addAll(files());
        c.add(client.ifname());
        return c;
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
        var c = new java.util.ArrayList<>(client.ns().prefix());
        c.addAll(List.of("dhclient", "-4", "-r", "-v"));
        c.addAll(files());
        c.add(client.ifname());
        Exec.run(java.time.Duration.ofSeconds(30), null, c).orThrow();
        next(DEFAULT_WAIT, "RELEASE");
    }

    @Override
    protected DhcpLeaseInfo parse(String event, Map<String, String> env) {
        return new DhcpLeaseInfo(env.get("reason"), env.get("new_ip_address"), env.get("new_subnet_mask"),
                first(env.get("new_routers")), dns(env.get("new_domain_name_servers")), env.get("new_domain_name"),
                intOrNull(env.get("new_interface_mtu")), longOrNull(env.get("new_dhcp_lease_time")), env);
    }

    private static String first(String s) {
        return s == null ? null : s.trim().split("\\s+")[0];
    }
}
