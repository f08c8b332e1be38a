package org.vnetd.daemon.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.RaUplink;
import org.vnetd.testing.TestNetns;

/**
 * The IPv6 forwarding trap: a host whose uplink gives it its default route by router advertisement
 * ({@code accept_ra=1}) starts an IPv6 NAT network. Turning forwarding on would make the kernel drop
 * that route; the daemon sets {@code accept_ra=2} on the uplink first, so the host keeps it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class Ipv6ForwardingNetnsTest {
    private static final String XML = """
            <network>
              <name>v6fw</name>
              <forward mode='nat'/>
              <bridge name='vbr-v6fw' stp='off'/>
              <ip address='10.77.9.1' prefix='24'/>
              <ip family='ipv6' address='fd68::1' prefix='64'/>
            </network>""";

    @TempDir
    Path dir;

    @Test
    void anUplinkThatLearnsItsDefaultRouteByRaKeepsItWhenForwardingGoesOn() throws Exception {
        NetnsSupport.require("dnsmasq", "nft");
        try (TestNetns host = TestNetns.create("v6fw"); RaUplink uplink = RaUplink.create(host, "up0");
                DaemonProcess d = new DaemonProcess(host, dir.resolve("daemon"))) {
            assertEquals("0", sysctl(host, "net/ipv6/conf/all/forwarding"));
            d.start();
            assertTrue(uplink.hasRaDefaultRoute(), "before the network starts:\n" + host.execOk("ip", "-6", "route") + d.log());
            d.call("network.define", Map.of("xml", XML));
            d.call("network.start", Map.of("network", "v6fw"));
            assertEquals("1", sysctl(host, "net/ipv6/conf/all/forwarding"), "as libvirt: forwarding on for an IPv6 NAT network");
            assertTrue(uplink.hasRaDefaultRoute(), "the host kept its default route:\n"
                    + host.execOk("ip", "-6", "route") + d.log());
            assertEquals("2", sysctl(host, "net/ipv6/conf/up0/accept_ra"), "the uplink keeps taking advertisements");
            assertTrue(d.log().contains("accept_ra=2 on up0"), d.log());
        }
    }

    private static String sysctl(TestNetns ns, String path) {
        return ns.execOk("cat", "/proc/sys/" + path).trim();
    }
}
