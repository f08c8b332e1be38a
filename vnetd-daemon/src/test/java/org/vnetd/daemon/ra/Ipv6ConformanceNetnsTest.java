package org.vnetd.daemon.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.testing.Await;
import org.vnetd.testing.Conformance;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * Every libvirt conformance XML with an IPv6 {@code <ip>} (read from ../shared/conformance, never
 * copied), each through a real daemon (six daemons share them, each taking its fixtures one by one):
 * libvirt accepts it (its networkxmlconfdata case has an
 * .expect.xml, or it is a firewall or update fixture), so vnetd must define and start it, and a guest
 * on its bridge must see the advertisement libvirt's dnsmasq configuration gives: M and O set and only
 * the DHCP {@code <ip>}'s prefix, not autonomous, when an IPv6 {@code <ip>} has {@code <dhcp>}
 * ({@code enable-ra} + {@code dhcp-range}); otherwise every IPv6 prefix autonomous ({@code ra-only});
 * router lifetime 0 for an isolated network ({@code ra-param=*,0,0}), 1800 s otherwise; and a DHCPv6
 * server on the bridge exactly when there is IPv6 {@code <dhcp>}. A fixture vnetd refuses must be one
 * libvirt refuses too (the update outputs are never validated by libvirt's tests), with that error;
 * anything else vnetd cannot start or serve as above fails the test. 35 fixtures start and serve, one
 * ({@code nat-network-forward-ifaces}: several forward interfaces) is refused, as libvirt refuses it.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class Ipv6ConformanceNetnsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** libvirt's own refusals (networkValidate), as vnetd words them. */
    private static final List<String> REFUSALS = List.of("multiple forwarding interfaces specified");
    /** Daemons (each with a host and a guest namespace) that share the fixtures. */
    private static final int WORKERS = 6;

    @TempDir
    Path dir;

    static List<Path> fixtures() throws Exception {
        List<Path> out = new ArrayList<>();
        for (String set : List.of("networkxmlconfdata", "networkxml2firewalldata", "networkxml2xmlupdateout")) {
            Path base = Conformance.libvirtTests(set);
            try (Stream<Path> s = Files.list(base)) {
                for (Path p : s.sorted().toList()) {
                    String n = p.getFileName().toString();
                    if (!n.endsWith(".xml") || n.endsWith(".expect.xml")) {
                        continue;
                    }
                    boolean accepted = !set.equals("networkxmlconfdata")
                            || Files.exists(base.resolve(n.replace(".xml", ".expect.xml")));
                    String xml = Files.readString(p);
                    if (accepted && (xml.contains("family='ipv6'") || xml.contains("family=\"ipv6\""))) {
                        out.add(p);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyIpv6FixtureStartsAndAdvertisesAsLibvirtsDnsmasqWould() throws Exception {
        NetnsSupport.require("rdisc6", "nft");
        List<Path> all = fixtures();
        assertTrue(all.size() >= 20, "the IPv6 fixtures: " + all);
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.Set<String> checked = java.util.Collections.synchronizedSet(new TreeSet<>());
        Map<String, String> refused = java.util.Collections.synchronizedMap(new TreeMap<>());
        // Most of a fixture's time is the kernel holding the guest's new bridge port in STP's listening and
        // learning states (2 x 2 s: the fixtures' bridges have STP on). The fixtures share one name, UUID and
        // bridge, so one daemon runs them one after the other; several daemons, each in a host of its own,
        // wait out those states side by side.
        List<List<Path>> shares = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < all.size(); i++) {
            shares.get(i % WORKERS).add(all.get(i));
        }
        long started = System.nanoTime();
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(WORKERS)) {
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                running.add(pool.submit(() -> {
                    run(worker, shares.get(worker), checked, refused, failures);
                    return null;
                }));
            }
            for (var f : running) {
                f.get(9, TimeUnit.MINUTES);
            }
        }
        System.out.printf("IPv6 conformance: %d fixtures in %d ms on %d daemons%n", all.size(),
                (System.nanoTime() - started) / 1_000_000, WORKERS);
        System.out.println("IPv6 conformance fixtures started and checked (" + checked.size() + "): " + checked);
        refused.forEach((f, why) -> System.out.println("refused " + f + ": " + why));
        assertEquals(List.of(), failures, "checked: " + checked + ", refused: " + refused);
        // what vnetd refuses, libvirt refuses too (update outputs are never validated by libvirt's tests)
        // and the error names the element: never a silent partial start
        refused.forEach((f, why) -> assertTrue(f.startsWith("networkxml2xmlupdateout/") && REFUSALS.stream().anyMatch(why::contains),
                "refused " + f + ": " + why));
        assertEquals(all.size(), checked.size() + refused.size(), "every fixture checked or refused: " + checked + refused);
        assertTrue(checked.size() >= 20, "checked: " + checked);
    }

    /** One daemon in a host namespace of its own, with its guest, through {@code fixtures} one by one. */
    private void run(int worker, List<Path> fixtures, java.util.Set<String> checked, Map<String, String> refused,
            List<String> failures) throws Exception {
        try (TestNetns host = TestNetns.create("v6conf" + worker); TestNetns guest = TestNetns.create("v6confg" + worker);
                DaemonProcess d = new DaemonProcess(host, dir.resolve("daemon" + worker), "INFO")) {
            // the uplink most fixtures name (<forward dev='eth1'>)
            host.execOk("ip", "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p"); // no dummy driver in this kernel
            host.execOk("ip", "link", "set", "eth1", "up");
            // the bridges the daemon makes use their link-local address at once instead of after duplicate
            // address detection (a second per fixture): what is advertised does not depend on it
            host.execOk("sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
            d.start("--no-default-network");
            host.execOk("ip", "link", "add", "vcg0", "type", "veth", "peer", "name", "eth0", "netns", guest.name());
            guest.execOk("ip", "link", "set", "eth0", "up");
            for (Path p : fixtures) {
                String label = p.getParent().getFileName() + "/" + p.getFileName();
                NetworkDef def;
                try {
                    def = NetworkXml.parse(Files.readString(p));
                } catch (VnetException e) {
                    refused.put(label, e.getMessage());
                    continue;
                }
                String name = def.name();
                try {
                    d.call("network.define", Map.of("xml", Files.readString(p)));
                    d.call("network.start", Map.of("network", name));
                    String bridge = d.call("network.lookup", Map.of("network", name)).path("bridge").asText();
                    check(label, def, bridge, host, guest);
                    checked.add(label);
                } catch (DaemonRpc.RpcFailure e) {
                    refused.put(label, e.getMessage());
                } catch (Exception | AssertionError e) {
                    failures.add(label + ": " + e.getMessage());
                } finally {
                    try {
                        d.call("network.destroy", Map.of("network", name));
                    } catch (Exception | AssertionError ignored) {
                        // not started
                    }
                    try {
                        d.call("network.undefine", Map.of("network", name));
                    } catch (Exception | AssertionError ignored) {
                        // not defined
                    }
                }
            }
        }
    }

    private static void check(String label, NetworkDef def, String bridge, TestNetns host, TestNetns guest) throws Exception {
        List<IpDef> v6 = def.ips().stream().filter(ip -> !ip.isIpv4()).toList();
        IpDef dhcp = v6.stream().filter(IpDef::hasDhcp).findFirst().orElse(null);
        boolean isolated = def.forwardMode() == ForwardMode.NONE;
        List<IpPrefix> advertised = (dhcp == null ? v6 : List.of(dhcp)).stream().map(ip -> ip.prefix().networkPrefix()).toList();

        host.execOk("ip", "link", "set", "vcg0", "master", bridge, "up");
        try {
            Await.until(WAIT, Duration.ofMillis(100), label + ": the guest's link-local address",
                    () -> guest.execOk("ip", "-6", "addr", "show", "dev", "eth0", "scope", "link", "-tentative").contains("fe80::"));
            String ra = guest.execOk("rdisc6", "-1", "-r", "4", "-w", "1500", "eth0").replaceAll("[ \t]+", " ");
            String yes = dhcp != null ? "Yes" : "No";
            assertTrue(ra.contains("Stateful address conf. : " + yes), label + ": M " + yes + "\n" + ra);
            assertTrue(ra.contains("Stateful other conf. : " + yes), label + ": O " + yes + "\n" + ra);
            assertTrue(ra.contains("Router lifetime : " + (isolated ? "0 " : "1800 ")), label + ": router lifetime\n" + ra);
            List<String> prefixes = new ArrayList<>();
            for (String line : ra.split("\n")) {
                if (line.trim().startsWith("Prefix :")) {
                    prefixes.add(IpPrefix.parse(line.substring(line.indexOf(':') + 1).trim()).toString());
                }
            }
            assertEquals(advertised.stream().map(IpPrefix::toString).sorted().toList(), prefixes.stream().sorted().toList(),
                    label + ": advertised prefixes\n" + ra);
            String autonomous = dhcp != null ? "No" : "Yes";
            assertTrue(ra.contains("Autonomous address conf.: " + autonomous), label + ": A " + autonomous + "\n" + ra);
            String sockets = host.execOk("ss", "-ulnH");
            assertEquals(dhcp != null, sockets.contains("%" + bridge + ":547"), label + ": a DHCPv6 server on " + bridge + "\n" + sockets);
        } finally {
            host.exec("ip", "link", "set", "vcg0", "nomaster");
        }
    }
}
