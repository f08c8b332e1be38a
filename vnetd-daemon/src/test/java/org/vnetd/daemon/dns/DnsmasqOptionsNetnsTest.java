package org.vnetd.daemon.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.daemon.rpc.DaemonRpc.RpcFailure;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.dhcp.DhcpClientNs;
import org.vnetd.testing.dhcp.DhcpLeaseInfo;
import org.vnetd.testing.dhcp.Dhclient;

/**
 * {@code <dnsmasq:options>} through the real daemon with real clients: the {@code dhcp-option}s reach dhclient in
 * place of vnetd's own (router, DNS servers with {@code 0.0.0.0} as the server, domain, MTU) or not at all
 * ({@code dhcp-option=3}); {@code address=} answers dig for the domain and the names below it, and NXDOMAIN without
 * an address; an option vnetd does not apply is refused at define, named.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DnsmasqOptionsNetnsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NS = "xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'";

    private static String network(String name, String bridge, String subnet, String... options) {
        StringBuilder o = new StringBuilder();
        for (String v : options) {
            o.append("<dnsmasq:option value='").append(v).append("'/>");
        }
        return "<network " + NS + "><name>" + name + "</name><forward mode='nat'/><bridge name='" + bridge + "' stp='off'/>"
                + "<ip address='" + subnet + ".1' netmask='255.255.255.0'><dhcp><range start='" + subnet + ".10' end='" + subnet
                + ".40'/></dhcp></ip><dnsmasq:options>" + o + "</dnsmasq:options></network>";
    }

    @Test
    void appliedOptionsReachDhclientAndDig(@TempDir Path dir) throws Exception {
        NetnsSupport.require("dhclient", "dig");
        try (TestNetns ns = TestNetns.create("dnsmopt");
             TestNetns guest = TestNetns.create("dnsmgst");
             TestNetns quiet = TestNetns.create("dnsmqt");
             DaemonProcess daemon = new DaemonProcess(ns, dir.resolve("vnetd"), "INFO")) {
            daemon.start();
            daemon.call("network.define", Map.of("xml", network("opt", "vntopt0", "10.84.0",
                    "dhcp-option=option:router,10.84.0.254", "dhcp-option=6,0.0.0.0,10.84.0.53", "dhcp-option=15,\"lab.example\"",
                    "dhcp-option=option:mtu,1400", "address=/lab.example/10.84.0.77", "address=/ads.example/",
                    "dhcp-authoritative", "domain-needed")));
            daemon.call("network.start", Map.of("network", "opt"));
            daemon.call("network.define", Map.of("xml", network("qt", "vntqt0", "10.85.0", "dhcp-option=3")));
            daemon.call("network.start", Map.of("network", "qt"));

            try (Dhclient client = bind(ns, guest, "vntopt0", "vntoptp", "52:54:00:84:00:01")) {
                DhcpLeaseInfo lease = client.awaitBound(WAIT);
                assertEquals("10.84.0.254", lease.router());
                assertEquals(List.of("10.84.0.1", "10.84.0.53"), lease.dns());
                assertEquals("lab.example", lease.domain());
                assertEquals(Integer.valueOf(1400), lease.mtu());

                // vnetd's own DNS on the bridge answers address= for the domain and every name below it
                assertEquals("10.84.0.77", dig(guest, "10.84.0.1", "lab.example", "+short").strip());
                assertEquals("10.84.0.77", dig(guest, "10.84.0.1", "www.Lab.Example", "+short").strip());
                assertTrue(dig(guest, "10.84.0.1", "x.ads.example", "+noall", "+comments").contains("status: NXDOMAIN"));
            }

            try (Dhclient client = bind(ns, quiet, "vntqt0", "vntqtp", "52:54:00:85:00:01")) {
                DhcpLeaseInfo noRouter = client.awaitBound(WAIT);
                assertNull(noRouter.router(), "dhcp-option=3: no router option at all: " + noRouter.env());
                assertEquals(List.of("10.85.0.1"), noRouter.dns());
            }

            RpcFailure e = daemon.fail("network.define", Map.of("xml", network("bad", "vntbad0", "10.86.0", "dhcp-option=3",
                    "cname=www.lab.example,lab.example")));
            assertEquals(ErrorCode.OPERATION_UNSUPPORTED.number(), e.code, e.getMessage());
            assertTrue(e.getMessage().contains("<dnsmasq:option value='cname=www.lab.example,lab.example'> (")
                    && !e.getMessage().contains("value='dhcp-option=3'"), e.getMessage());
        }
    }

    /** A guest namespace on {@code bridge} through a veth, and dhclient started there. */
    private static Dhclient bind(TestNetns host, TestNetns guest, String bridge, String port, String mac) {
        host.veth(port, guest, "eth0");
        host.execOk("ip", "link", "set", port, "master", bridge);
        guest.execOk("ip", "link", "set", "eth0", "down");
        guest.execOk("ip", "link", "set", "eth0", "address", mac);
        guest.execOk("ip", "link", "set", "eth0", "up");
        Dhclient client = new Dhclient(new DhcpClientNs(guest, "eth0", mac), null);
        client.start();
        return client;
    }

    private static String dig(TestNetns guest, String server, String name, String... flags) {
        List<String> argv = new java.util.ArrayList<>(List.of("dig", "+tries=3", "+time=2", "@" + server, name, "A"));
        argv.addAll(List.of(flags));
        return guest.exec(Duration.ofSeconds(30), argv.toArray(String[]::new)).orThrow().stdout();
    }
}
