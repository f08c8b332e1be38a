package org.vnetd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An uplink that gives a namespace its IPv6 default route by router advertisement, as many hosts'
 * uplinks do: a veth {@code ifname} in {@code host} to a namespace of its own where dnsmasq
 * advertises {@code 2001:db8:7::/64} (SLAAC, every 10 s, router lifetime 1800 s). {@link #create} returns once the
 * host has the default route ({@code proto ra}).
 */
public final class RaUplink implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final TestNetns upstream;
    private final Process dnsmasq;
    private final Path dir;
    private final TestNetns host;
    private final String ifname;

    private RaUplink(TestNetns upstream, Process dnsmasq, Path dir, TestNetns host, String ifname) {
        this.upstream = upstream;
        this.dnsmasq = dnsmasq;
        this.dir = dir;
        this.host = host;
        this.ifname = ifname;
    }

    public static RaUplink create(TestNetns host, String ifname) {
        NetnsSupport.require("dnsmasq");
        TestNetns up = TestNetns.create("raup");
        Path dir = null;
        Process p = null;
        try {
            dir = Files.createTempDirectory("vnetd-raup");
            up.execOk("ip", "link", "add", "up1", "type", "veth", "peer", "name", ifname, "netns", host.name());
            up.execOk("ip", "-6", "addr", "add", "2001:db8:7::1/64", "dev", "up1", "nodad");
            up.execOk("ip", "link", "set", "up1", "up");
            // a default route of its own (nothing leaves the namespace) and a fixed interval and router
            // lifetime for dnsmasq: every advertisement must give the host the same route
            up.execOk("ip", "-6", "route", "add", "default", "dev", "up1");
            // a router answers neighbour solicitations with the router flag set: without forwarding on, the
            // namespace's answer to the host's first reachability probe (some 5 s after the route came) says
            // "host", and the kernel drops every default route through it until the next advertisement
            // (RFC 4861 §7.2.5; Ipv6ForwardingNetnsTest failed 4 runs in 10 on that)
            up.execOk("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
            host.execOk("sysctl", "-qw", "net.ipv6.conf." + ifname + ".accept_ra=1");
            host.execOk("ip", "link", "set", ifname, "up");
            List<String> argv = new ArrayList<>(up.prefix());
            argv.addAll(List.of("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--port=0", "--user=root",
                    "--group=root", "--interface=up1", "--bind-interfaces", "--enable-ra",
                    "--dhcp-range=2001:db8:7::,ra-only,64", "--ra-param=up1,10,1800", "--dhcp-leasefile=" + dir.resolve("leases"),
                    "--pid-file=" + dir.resolve("pid"), "--log-facility=" + dir.resolve("log")));
            p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
            RaUplink u = new RaUplink(up, p, dir, host, ifname);
            Await.until(WAIT, Duration.ofMillis(200), "a default route from the uplink's advertisement", u::hasRaDefaultRoute);
            return u;
        } catch (IOException e) {
            cleanUp(p, dir, up);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            cleanUp(p, dir, up);
            throw e;
        }
    }

    private static void cleanUp(Process p, Path dir, TestNetns up) {
        stop(p);
        delete(dir);
        up.close();
    }

    public String ifname() {
        return ifname;
    }

    /** The host's default route came from an advertisement on this uplink. */
    public boolean hasRaDefaultRoute() {
        String r = host.execOk("ip", "-6", "route", "show", "default", "dev", ifname);
        return r.contains("proto ra");
    }

    @Override
    public void close() {
        stop(dnsmasq);
        upstream.close(); // the veth goes with it
        delete(dir);
    }

    private static void stop(Process p) {
        if (p != null) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover temp dir is harmless
        }
    }
}
