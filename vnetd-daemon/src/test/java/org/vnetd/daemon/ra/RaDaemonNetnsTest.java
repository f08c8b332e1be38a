package org.vnetd.daemon.ra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * The whole path: a libvirt network XML with an IPv6 address, started by the real daemon; a guest
 * with {@code accept_ra=1} on its bridge gets its SLAAC address and default route, reaches the
 * bridge over IPv6, and loses the default route when the network is destroyed (final advertisement).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RaDaemonNetnsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String XML = """
            <network>
              <name>v6</name>
              <forward mode='route'/>
              <bridge name='vbr-v6' stp='off'/>
              <ip address='10.77.6.1' prefix='24'/>
              <ip family='ipv6' address='fd66::1' prefix='64'/>
            </network>""";

    @Test
    void aGuestGetsItsAddressFromTheRunningNetworkAndLosesItsRouteOnDestroy() throws Exception {
        NetnsSupport.require("rdisc6", "nft", "busybox");
        try (TestNetns host = TestNetns.create("radhost"); TestNetns guest = TestNetns.create("radguest");
                DaemonProcess d = new DaemonProcess(host, Files.createTempDirectory("vnetd-ra"))) {
            d.start();
            d.call("network.define", Map.of("xml", XML));
            d.call("network.start", Map.of("network", "v6"));
            host.execOk("ip", "link", "add", "vg1", "type", "veth", "peer", "name", "eth0", "netns", guest.name());
            host.execOk("ip", "link", "set", "vg1", "master", "vbr-v6", "up");
            guest.execOk("sysctl", "-qw", "net.ipv6.conf.eth0.accept_ra=1");
            guest.execOk("ip", "link", "set", "eth0", "up");

            String gw = Await.value(WAIT, "vbr-v6's link-local address", () -> {
                Matcher m = Pattern.compile("inet6 (fe80::[0-9a-f:]+)/64 scope link\\s*\\n").matcher(
                        host.execOk("ip", "-6", "addr", "show", "dev", "vbr-v6", "scope", "link", "-tentative"));
                return m.find() ? Optional.of(m.group(1)) : Optional.empty();
            });
            // rdisc6 needs a source: the guest's own link-local address, once out of duplicate address detection
            Await.until(WAIT, "the guest's link-local address", () -> guest.execOk("ip", "-6", "addr", "show", "dev", "eth0",
                    "scope", "link", "-tentative").contains("inet6 fe80::"));
            String out = guest.execOk("rdisc6", "-1", "-r", "5", "-w", "2000", "eth0").replaceAll("[ \t]+", " ");
            assertTrue(out.contains("Prefix : fd66::/64") && out.contains("Autonomous address conf.: Yes")
                    && out.contains("Stateful address conf. : No") && out.contains("Router lifetime : 1800")
                    && out.contains("Recursive DNS server : fd66::1"), out);
            Await.until(WAIT, "a SLAAC address in fd66::/64", () -> guest.execOk("ip", "-6", "addr", "show", "dev", "eth0",
                    "scope", "global", "-tentative").contains("inet6 fd66::"));
            Await.until(WAIT, "a default route via " + gw, () -> guest.execOk("ip", "-6", "route", "show", "default")
                    .contains("via " + gw + " dev eth0"));
            // the bridge's own fd66::1 runs duplicate address detection once the guest's port gives it carrier
            Await.until(WAIT, Duration.ofMillis(200), "the guest reaching fd66::1 over IPv6",
                    () -> guest.exec("busybox", "ping", "-6", "-c", "1", "-W", "1", "fd66::1").ok());

            d.call("network.destroy", Map.of("network", "v6"));
            Await.until(WAIT, "the default route withdrawn on destroy",
                    () -> !guest.execOk("ip", "-6", "route", "show", "default").contains("via " + gw));
        }
    }
}
