package org.vnetd.daemon.firewall;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vnetd.core.firewall.FirewallIp;
import org.vnetd.core.firewall.FirewallNetwork;
import org.vnetd.core.firewall.ForwardMode;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.TestNetns;

/**
 * A "host" namespace with bridges (made with `ip`, the netlink layer being separate), one "guest"
 * namespace per bridge behind a veth port, and an "upstream" namespace beyond the host. Upstream
 * has a route back to every guest subnet, so only the firewall decides what passes.
 */
final class FirewallTopology implements AutoCloseable {
    static final String UPSTREAM_ADDR = "10.99.0.2";
    static final String HOST_UPLINK_ADDR = "10.99.0.1";

    final TestNetns host;
    final TestNetns upstream;
    final List<TestNetns> guests = new ArrayList<>();
    final List<NetnsExecutor> executors = new ArrayList<>();
    final CommandRunner hostRunner;

    FirewallTopology(int bridges) {
        TestNetns h = TestNetns.create("fwhost");
        TestNetns u = null;
        try {
            u = TestNetns.create("fwup");
            host = h;
            upstream = u;
            hostRunner = new ProcessCommandRunner(host.prefix(), Duration.ofSeconds(30));
            host.execOk("sysctl", "-qw", "net.ipv4.ip_forward=1"); // inside the host namespace only
            host.veth("up0", upstream, "eth0");
            host.execOk("ip", "addr", "add", HOST_UPLINK_ADDR + "/24", "dev", "up0");
            upstream.execOk("ip", "addr", "add", UPSTREAM_ADDR + "/24", "dev", "eth0");
            for (int i = 0; i < bridges; i++) {
                addGuest(i);
            }
        } catch (RuntimeException e) {
            guests.forEach(TestNetns::close);
            if (u != null) {
                u.close();
            }
            h.close();
            throw e;
        }
    }

    private void addGuest(int i) {
        String br = bridge(i);
        host.execOk("ip", "link", "add", br, "type", "bridge");
        host.execOk("ip", "addr", "add", "192.168." + (100 + i) + ".1/24", "dev", br);
        host.execOk("ip", "link", "set", br, "up");
        TestNetns g = TestNetns.create("fwguest");
        guests.add(g);
        host.veth("vg" + i, g, "eth0");
        host.execOk("ip", "link", "set", "vg" + i, "master", br);
        g.execOk("ip", "addr", "add", guestAddr(i) + "/24", "dev", "eth0");
        g.execOk("ip", "route", "add", "default", "via", "192.168." + (100 + i) + ".1");
        upstream.execOk("ip", "route", "add", "192.168." + (100 + i) + ".0/24", "via", HOST_UPLINK_ADDR);
    }

    static final String UPSTREAM_ADDR6 = "2001:db8:99::2";
    static final String HOST_UPLINK_ADDR6 = "2001:db8:99::1";

    /** Adds IPv6 everywhere (nodad: addresses are usable at once) and IPv6 forwarding in the host. */
    void enableIpv6() {
        host.execOk("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
        host.execOk("ip", "-6", "addr", "add", HOST_UPLINK_ADDR6 + "/64", "dev", "up0", "nodad");
        upstream.execOk("ip", "-6", "addr", "add", UPSTREAM_ADDR6 + "/64", "dev", "eth0", "nodad");
        for (int i = 0; i < guests.size(); i++) {
            host.execOk("ip", "-6", "addr", "add", "2001:db8:" + (100 + i) + "::1/64", "dev", bridge(i), "nodad");
            guests.get(i).execOk("ip", "-6", "addr", "add", guestAddr6(i) + "/64", "dev", "eth0", "nodad");
            guests.get(i).execOk("ip", "-6", "route", "add", "default", "via", "2001:db8:" + (100 + i) + "::1");
            upstream.execOk("ip", "-6", "route", "add", "2001:db8:" + (100 + i) + "::/64", "via", HOST_UPLINK_ADDR6);
        }
        // the host forwards: its neighbour solicitations need a usable link-local address on each port
        host.awaitIpv6Settled(IPV6_SETTLE);
        upstream.awaitIpv6Settled(IPV6_SETTLE);
        guests.forEach(g -> g.awaitIpv6Settled(IPV6_SETTLE));
    }

    /** Generous bound on link-local DAD (normally about one second) for a loaded CI machine. */
    private static final Duration IPV6_SETTLE = Duration.ofSeconds(20);

    static String guestAddr6(int i) {
        return "2001:db8:" + (100 + i) + "::10";
    }

    static FirewallNetwork dualStack(int i, boolean natIpv6) {
        return new FirewallNetwork("net" + i, bridge(i), ForwardMode.NAT, Optional.empty(),
                List.of(new FirewallIp(IpPrefix.parse("192.168." + (100 + i) + ".1/24"), true, false),
                        new FirewallIp(IpPrefix.parse("2001:db8:" + (100 + i) + "::1/64"), true, false)),
                Optional.empty(), Optional.empty(), natIpv6, true, false);
    }

    static String bridge(int i) {
        return "vbr" + i;
    }

    static String guestAddr(int i) {
        return "192.168." + (100 + i) + ".10";
    }

    static FirewallNetwork network(int i, ForwardMode mode) {
        return new FirewallNetwork("net" + i, bridge(i), mode, Optional.empty(),
                List.of(new FirewallIp(IpPrefix.parse("192.168." + (100 + i) + ".1/24"), true, false)),
                Optional.empty(), Optional.empty(), false, true, false);
    }

    NetnsExecutor executor(TestNetns ns) {
        NetnsExecutor ex = NetnsExecutor.enter(ns);
        executors.add(ex);
        return ex;
    }

    /**
     * Opens a TCP connection from {@code from} to a listener in {@code to} and returns the source
     * address the listener saw, or empty if the connection was refused or timed out.
     */
    Optional<InetAddress> connect(TestNetns from, TestNetns to, String toAddr, int port) throws IOException {
        NetnsExecutor server = executor(to);
        NetnsExecutor client = executor(from);
        ServerSocket ss = server.call(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(toAddr), port));
            return s;
        });
        try (ss) {
            Socket c = client.call(() -> {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(InetAddress.getByName(toAddr), port), 2000);
                    return s;
                } catch (IOException e) {
                    s.close();
                    return null;
                }
            });
            if (c == null) {
                return Optional.empty();
            }
            try (c) {
                ss.setSoTimeout(3000);
                try (Socket accepted = ss.accept()) {
                    return Optional.of(accepted.getInetAddress());
                }
            }
        }
    }

    /** The same, from guest {@code i} to the upstream listener. */
    Optional<InetAddress> guestToUpstream(int i, int port) throws IOException {
        return connect(guests.get(i), upstream, UPSTREAM_ADDR, port);
    }

    Optional<InetAddress> upstreamToGuest(int i, int port) throws IOException {
        return connect(upstream, guests.get(i), guestAddr(i), port);
    }

    String nft(String... args) {
        List<String> argv = new ArrayList<>(List.of("nft"));
        argv.addAll(List.of(args));
        return host.execOk(argv.toArray(String[]::new));
    }

    @Override
    public void close() {
        executors.forEach(NetnsExecutor::close);
        guests.forEach(TestNetns::close);
        upstream.close();
        host.close();
    }
}
