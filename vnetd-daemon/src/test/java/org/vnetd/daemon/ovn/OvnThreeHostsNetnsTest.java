package org.vnetd.daemon.ovn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.core.ovn.OvnNetwork;
import org.vnetd.core.ovs.VirtualPorts;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.port.PortXml;
import org.vnetd.core.ovn.OvnNetworkMapper;
import org.vnetd.core.ovsdb.OvsdbRemote;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.daemon.ovsdb.OvsdbClient;
import org.vnetd.daemon.port.TapWire;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.dhcp.DhcpClientNs;
import org.vnetd.testing.dhcp.DhcpLeaseInfo;
import org.vnetd.testing.dhcp.Udhcpc;
import org.vnetd.testing.ovn.OvnCentral;
import org.vnetd.testing.ovn.OvnChassis;

import com.fasterxml.jackson.databind.JsonNode;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

/**
 * Issue 23's acceptance topology: a central namespace (OVN's NB and SB databases, ovn-northd), two
 * hypervisor namespaces (each a private Open vSwitch with the userspace datapath, ovn-controller and
 * its own vnetd), joined by an underlay bridge, plus an upstream namespace on the gateway's uplink.
 * The same NAT network is defined and started by both vnetds. The guests' ports come from vnetd's
 * {@code port.create} (the logical switch port, and the tap on br-int with its {@code iface-id}); each
 * guest is a namespace whose NIC is wired to its port's tap descriptor ({@link TapWire}, as QEMU would).
 * vm1's address is dynamic (OVN's), vm2's a {@code <host>} reservation.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class OvnThreeHostsNetnsTest {
    private static final String UUID = "81ff0d90-c91e-6742-64da-4a736edb9a9b";
    private static final String MAC1 = "52:54:00:00:01:01";
    private static final String MAC2 = "52:54:00:00:01:02";
    private static final Duration NET = Duration.ofSeconds(30);

    private static String xml(String northbound) {
        return """
                <network xmlns:vnetd='https://vnetd.org/schemas/network/1.0'>
                  <name>cluster</name>
                  <uuid>%s</uuid>
                  <forward mode='nat'/>
                  <domain name='cluster.test'/>
                  <ip address='10.77.0.1' netmask='255.255.255.0'>
                    <dhcp>
                      <range start='10.77.0.100' end='10.77.0.199'/>
                      <host mac='%s' name='vm2' ip='10.77.0.12'/>
                    </dhcp>
                  </ip>
                  <vnetd:ovn northbound='%s' switch='ls-cluster' gatewayChassis='hv1' uplink='physnet' uplinkAddress='192.0.2.50/24' uplinkGateway='192.0.2.1'/>
                </network>
                """.formatted(UUID, MAC2, northbound);
    }

    private static void log(String line) {
        System.out.println("OVN-PROOF " + line);
    }

    private static boolean pings(TestNetns from, String to) {
        return from.exec(Duration.ofSeconds(5), "ping", "-c", "1", "-W", "1", to).ok();
    }

    private static long awaitPing(TestNetns from, String to, Duration timeout) {
        long t0 = System.nanoTime();
        Await.until(timeout, Duration.ofMillis(50), from + " reaching " + to, () -> pings(from, to));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static String dig(TestNetns from, String server, String name) {
        return from.exec(Duration.ofSeconds(10), "dig", "+short", "+noedns", "+time=2", "+tries=2", "@" + server, name).stdout().trim();
    }

    @Test
    void twoHypervisorsShareOneNatNetworkOnOvn() throws Exception {
        NetnsSupport.require("ovn-controller", "ovn-northd", "ovs-vswitchd", "busybox", "dig", "ping", "ethtool");
        List<AutoCloseable> open = new ArrayList<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            TestNetns ul = track(open, TestNetns.create("ovnul"));
            TestNetns central = track(open, TestNetns.create("ovnc"));
            TestNetns hv1 = track(open, TestNetns.create("ovnh1"));
            TestNetns hv2 = track(open, TestNetns.create("ovnh2"));
            TestNetns up = track(open, TestNetns.create("ovnup"));
            TestNetns g1 = track(open, TestNetns.create("ovng1"));
            TestNetns g2 = track(open, TestNetns.create("ovng2"));
            ul.execOk("ip", "link", "add", "br0", "type", "bridge");
            ul.execOk("ip", "link", "set", "br0", "up");
            central.veth("eth0", ul, "c0");
            hv1.veth("eth0", ul, "h1");
            hv2.veth("eth0", ul, "h2");
            hv1.veth("eth1", ul, "h1up");
            up.veth("eth0", ul, "u0");
            for (String port : List.of("c0", "h1", "h2", "h1up", "u0")) {
                ul.execOk("ip", "link", "set", port, "master", "br0");
            }
            // the userspace datapath reads veths with AF_PACKET and does not finish a checksum the sender left to the
            // device (TCP and UDP on veths): senders whose packets cross OVS compute their checksums themselves
            txChecksumOff(central, "eth0");
            txChecksumOff(up, "eth0");
            central.execOk("ip", "addr", "add", "192.168.50.10/24", "dev", "eth0");
            up.execOk("ip", "addr", "add", "192.0.2.1/24", "dev", "eth0");

            OvnCentral ovn = track(open, OvnCentral.start(central, "192.168.50.10"));
            OvnChassis c1 = track(open, OvnChassis.start(hv1, "hv1", ovn, "eth0", "192.168.50.11/24", "physnet:br-ex"));
            c1.ovs().vsctlOk("add-port", "br-ex", "eth1");
            OvnChassis c2 = track(open, OvnChassis.start(hv2, "hv2", ovn, "eth0", "192.168.50.12/24", null));
            log("central, hv1, hv2 up; chassis: " + ovn.sbctl("--bare", "--columns=name", "list", "Chassis").stdout().replace('\n', ' '));

            Path dir = Files.createTempDirectory("vnetd-ovn3");
            DaemonProcess d1 = track(open, new DaemonProcess(hv1, dir.resolve("hv1"), "INFO"));
            DaemonProcess d2 = track(open, new DaemonProcess(hv2, dir.resolve("hv2"), "INFO"));
            String[] args1 = {"--no-default-network", "--ovn-chassis", "hv1", "--ovs-db", "unix:" + c1.ovs().dbSocket()};
            String[] args2 = {"--no-default-network", "--ovn-chassis", "hv2", "--ovs-db", "unix:" + c2.ovs().dbSocket()};
            d1.start(args1);
            d2.start(args2);
            String def = xml(ovn.northboundTcp());
            d1.call("network.define", Map.of("xml", def));
            d2.call("network.define", Map.of("xml", def));
            long t0 = System.nanoTime();
            d1.call("network.start", Map.of("network", "cluster"));
            long startMs = (System.nanoTime() - t0) / 1_000_000;
            d2.call("network.start", Map.of("network", "cluster"));
            assertEquals(List.of("ls-cluster", "ls-cluster-uplink"), lines(ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch").stdout()),
                    "both hosts started the network: one switch (and its uplink switch)");
            log("PASS defined and started on both hypervisors; one logical switch; net-start on hv1 took " + startMs + " ms");

            OvnNetwork n = OvnNetworkMapper.map(NetworkXml.parse(def));
            OvsdbClient nbClient = track(open, OvsdbClient.open(List.of(OvsdbRemote.parse(ovn.northbound().remote())), group,
                    Duration.ofSeconds(10)));
            OvnNorthbound nb1 = new OvnNorthbound(nbClient, "hv1");

            // the guests' ports, through vnetd: a logical switch port of this host and the tap on br-int naming it
            JsonNode p1 = createPort(d1, MAC1);
            TapWire vm1 = track(open, TapWire.nic(g1, "eth0", MAC1));
            vm1.connect(d1, p1);
            JsonNode p2 = createPort(d2, MAC2);
            TapWire vm2 = track(open, TapWire.nic(g2, "eth0", MAC2));
            vm2.connect(d2, p2);
            String lsp1 = logicalPort(d1, p1);
            String lsp2 = logicalPort(d2, p2);
            assertEquals(List.of(lsp1), hostPorts(ovn, "hv1"), "hv1's port.create made one logical port tagged with hv1");
            assertEquals(List.of(lsp2), hostPorts(ovn, "hv2"));
            String tap1 = p1.get("tap").asText();
            assertEquals("\"" + lsp1 + "\"", c1.ovs().get("Interface", tap1, "external_ids:iface-id"), "the tap names its logical port");
            assertEquals("\"" + MAC1 + "\"", c1.ovs().get("Interface", tap1, "external_ids:attached-mac"));
            assertTrue(c1.ovs().ports("br-int").contains(tap1), c1.ovs().ports("br-int").toString());

            DhcpLeaseInfo l1 = lease(open, g1, MAC1, "vm1");
            long leaseMs = (System.nanoTime() - t0) / 1_000_000;
            DhcpLeaseInfo l2 = lease(open, g2, MAC2, "vm2");
            String a1 = l1.address();
            int last = Integer.parseInt(a1.substring(a1.lastIndexOf('.') + 1));
            assertTrue(a1.startsWith("10.77.0.") && last >= 100 && last <= 199, "vm1's dynamic address from the range: " + a1);
            assertEquals("10.77.0.12", l2.address());
            assertEquals("10.77.0.1", l1.router());
            log("PASS OVN's DHCP through vnetd's ports: vm1 " + a1 + " (dynamic) router " + l1.router() + " dns " + l1.dns() + ", vm2 "
                    + l2.address() + " (reserved); net-start to vm1's lease " + leaseMs + " ms");

            // net-dhcp-leases from OVN's bindings, the same on both hosts: every bound port of the network, of any host
            String expected = "[" + MAC1 + " " + a1 + " null, " + MAC2 + " 10.77.0.12 vm2]";
            for (DaemonProcess d : List.of(d1, d2)) {
                Await.until(NET, "both guests' leases listed by " + d, () -> leases(d).equals(expected));
            }
            log("PASS net-dhcp-leases on either host lists both guests from OVN's bindings: " + leases(d1));

            long crossMs = awaitPing(g1, "10.77.0.12", NET);
            awaitPing(g2, a1, NET);
            log("PASS vm1 (hv1) and vm2 (hv2) ping each other across Geneve (first after " + crossMs + " ms)");

            awaitPing(g1, "192.0.2.1", NET);
            awaitPing(g2, "192.0.2.1", NET);
            log("PASS both reach the upstream namespace 192.0.2.1 through the gateway's SNAT (192.0.2.50 on hv1)");

            try {
                Await.until(NET, "vm1 resolving vm2.cluster.test", () -> dig(g1, "10.77.0.1", "vm2.cluster.test").equals("10.77.0.12"));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\ndig: " + g1.exec(Duration.ofSeconds(10), "dig", "+noedns", "+time=2", "+tries=1",
                        "@10.77.0.1", "vm2.cluster.test").stdout() + "\nDNS rows: " + ovn.nbctl("list", "DNS").stdout()
                        + "\nSB DNS: " + ovn.sbctl("list", "DNS").stdout(), e);
            }
            Await.until(NET, "vm2 resolving vm2", () -> dig(g2, "10.77.0.1", "vm2").equals("10.77.0.12"));
            log("PASS names resolve through OVN's DNS: vm2.cluster.test and vm2");

            // vm1 migrates as libvirt migrates a guest: its port is made on hv2 (same MAC) while hv1's still exists,
            // then hv1's is deleted; the new port keeps the dynamic address OVN gave the old one
            JsonNode p1b = createPort(d2, MAC1);
            String lsp1b = logicalPort(d2, p1b);
            assertEquals("[\"" + MAC1 + " " + a1 + "\"]", ovn.nbctl("get", "Logical_Switch_Port", lsp1b, "addresses").stdout().trim(),
                    "the migrated port takes the address OVN gave vm1 on hv1");
            long m0 = System.nanoTime();
            d1.call("port.delete", Map.of("network", "cluster", "uuid", p1.get("uuid").asText()));
            vm1.connect(d2, p1b);
            long back = awaitPing(g2, a1, Duration.ofSeconds(10));
            long migrateMs = (System.nanoTime() - m0) / 1_000_000;
            log((migrateMs <= 2000 ? "PASS" : "SLOW") + " vm1 migrated to hv2 keeping its dynamic address " + a1 + "; vm2 reaches it again "
                    + migrateMs + " ms after the port left hv1 (" + back + " ms after the wire moved)");
            assertTrue(migrateMs <= 2000, "vm1 reachable again within 2 s of its migration, took " + migrateMs + " ms");
            assertEquals(List.of(), hostPorts(ovn, "hv1"), "port.delete on hv1 removed its logical port");
            assertTrue(!c1.ovs().ports("br-int").contains(tap1), "and its tap left hv1's br-int: " + c1.ovs().ports("br-int"));

            // restarts lose no port and re-create none: ovn-northd, the northbound database, a vnetd
            String rows = ovn.nbctl("--bare", "--columns=_uuid", "find", "Logical_Switch_Port", "external_ids:vnetd\\:port-host=hv2")
                    .stdout();
            ovn.restartNorthd();
            ovn.northbound().restart();
            d2.stop();
            d2.start(args2);
            assertEquals(lines(rows), lines(ovn.nbctl("--bare", "--columns=_uuid", "find", "Logical_Switch_Port",
                    "external_ids:vnetd\\:port-host=hv2").stdout()), "hv2's logical ports are the same rows after the restarts");
            assertEquals(2, d2.call("port.list", Map.of("network", "cluster")).size(), "the restarted vnetd adopted its ports");
            awaitPing(g2, a1, NET);
            log("PASS ovn-northd, the NB database and hv2's vnetd restarted: no port lost or made again, vm2 still reaches vm1");

            // ports into OVN per second (vnetd's transactions, one port each, from this host)
            int count = 50;
            long p0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                nb1.addPort(n, "bench-" + i, String.format("52:54:00:aa:%02x:%02x", i / 256, i % 256));
            }
            double perSecond = count / ((System.nanoTime() - p0) / 1e9);
            log(String.format("FIGURE %d logical ports added by vnetd's OvnNorthbound in a row: %.0f ports/s", count, perSecond));

            // stopping on hv1 removes only hv1's ports; stopping on the last host removes switch and router
            d1.call("network.destroy", Map.of("network", "cluster"));
            assertEquals(lines(lsp1b + "\n" + lsp2 + "\nlsp-ls-cluster-router"),
                    lines(ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch_Port").stdout()).stream()
                            .filter(p -> !p.startsWith("lsp-ls-cluster-uplink")).toList());
            log("PASS net-destroy on hv1 removed hv1's " + count + " ports only; hv2's stay, switch and router stay");
            d2.call("network.destroy", Map.of("network", "cluster"));
            for (String table : List.of("Logical_Switch", "Logical_Switch_Port", "Logical_Router", "NAT", "DHCP_Options", "DNS")) {
                assertEquals("", ovn.nbctl("--bare", "--columns=_uuid", "list", table).stdout().trim(), table);
            }
            log("PASS net-destroy on the last host (hv2) removed the switch, the router and the DHCP and DNS rows");
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception e) {
                    System.err.println("cleanup: " + e);
                }
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void txChecksumOff(TestNetns ns, String dev) {
        ns.execOk("ethtool", "-K", dev, "tx", "off");
    }

    /** network.dhcpLeases as "mac address hostname" entries. */
    private static String leases(DaemonProcess d) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode l : d.call("network.dhcpLeases", Map.of("network", "cluster"))) {
            out.add(l.get("mac").asText() + " " + l.get("ipAddress").asText() + " " + l.path("hostname").asText("null"));
        }
        return out.toString();
    }

    private static JsonNode createPort(DaemonProcess d, String mac) throws Exception {
        return d.call("port.create", Map.of("network", "cluster", "mac", mac, "passFd", true));
    }

    /** The logical switch port a vnetd port names: its Open vSwitch interfaceid. */
    private static String logicalPort(DaemonProcess d, JsonNode port) throws Exception {
        PortDef def = PortXml.parse(d.call("port.getXml", Map.of("network", "cluster", "uuid", port.get("uuid").asText())).get("xml").asText());
        return VirtualPorts.parameter(def.virtualPort().orElseThrow(), "interfaceid").orElseThrow();
    }

    private static List<String> hostPorts(OvnCentral ovn, String host) {
        return lines(ovn.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "external_ids:vnetd\\:port-host=" + host)
                .stdout()).stream().filter(p -> !p.startsWith("bench-")).toList();
    }

    private static DhcpLeaseInfo lease(List<AutoCloseable> open, TestNetns g, String mac, String name) {
        Udhcpc client = new Udhcpc(new DhcpClientNs(g, "eth0", mac), false, name);
        open.add(client);
        client.start();
        DhcpLeaseInfo l = client.awaitBound(Duration.ofSeconds(60));
        g.execOk("ip", "route", "replace", "default", "via", l.router());
        return l;
    }

    private static List<String> lines(String out) {
        return out.lines().map(String::trim).filter(l -> !l.isEmpty()).sorted().toList();
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> open, T thing) {
        open.add(thing);
        return thing;
    }
}
