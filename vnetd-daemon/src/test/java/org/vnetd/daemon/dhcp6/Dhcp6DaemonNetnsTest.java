package org.vnetd.daemon.dhcp6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * DHCPv6 through the real daemon: a network with an IPv6 {@code <dhcp>} range; ISC {@code dhclient -6}
 * in two guests gets two different addresses from the range, the RA tells them to ask (M flag),
 * the leases are listed as {@code ipv6} with the client's DUID, and survive {@code kill -9}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class Dhcp6DaemonNetnsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern IAADDR = Pattern.compile("iaaddr (fd67::[0-9a-f:]+)");
    private static final String XML = """
            <network>
              <name>v6d</name>
              <forward mode='route'/>
              <bridge name='vbr-v6d' stp='off'/>
              <ip address='10.77.8.1' prefix='24'/>
              <ip family='ipv6' address='fd67::1' prefix='64'>
                <dhcp><range start='fd67::100' end='fd67::1ff'/></dhcp>
              </ip>
            </network>""";

    @Test
    void dhclientGetsAnAddressFromTheRangeAndItSurvivesKill9() throws Exception {
        NetnsSupport.require("dhclient", "rdisc6", "nft");
        Path dir = Files.createTempDirectory("vnetd-dhcp6");
        try (TestNetns host = TestNetns.create("d6host"); TestNetns g1 = TestNetns.create("d6g1"); TestNetns g2 = TestNetns.create("d6g2");
                DaemonProcess d = new DaemonProcess(host, dir.resolve("daemon"))) {
            d.start();
            d.call("network.define", Map.of("xml", XML));
            d.call("network.start", Map.of("network", "v6d"));
            List<String> addresses = new ArrayList<>();
            int i = 0;
            for (TestNetns g : List.of(g1, g2)) {
                i++;
                host.execOk("ip", "link", "add", "vg" + i, "type", "veth", "peer", "name", "eth0", "netns", g.name());
                host.execOk("ip", "link", "set", "vg" + i, "master", "vbr-v6d", "up");
                g.execOk("ip", "link", "set", "eth0", "up");
                Await.until(WAIT, "the guest's link-local address", () -> g.execOk("ip", "-6", "addr", "show", "dev", "eth0",
                        "scope", "link", "-tentative").contains("inet6 fe80::"));
                Path leases = dir.resolve("g" + i + ".leases");
                Files.writeString(leases, "");
                // -1: one try (bounded by dhclient's own timeout); -sf /bin/true: record the lease, configure nothing
                var run = g.exec(Duration.ofSeconds(90), "dhclient", "-6", "-1", "-v", "-lf", leases.toString(), "-pf",
                        dir.resolve("g" + i + ".pid").toString(), "-sf", "/bin/true", "eth0");
                assertTrue(run.ok(), "dhclient -6: " + run);
                Matcher m = IAADDR.matcher(Files.readString(leases));
                assertTrue(m.find(), "dhclient -6 recorded an address:\n" + Files.readString(leases));
                addresses.add(java.net.InetAddress.getByName(m.group(1)).getHostAddress());
                Exec.kill(dir.resolve("g" + i + ".pid"));
            }
            for (String a : addresses) {
                String last = a.substring(a.lastIndexOf(':') + 1);
                int v = Integer.parseInt(last, 16);
                assertTrue(a.startsWith("fd67:0:0:0:0:0:0:") && v >= 0x100 && v <= 0x1ff, "in the range: " + a);
            }
            assertTrue(!addresses.get(0).equals(addresses.get(1)), "two clients, two addresses: " + addresses);
            String ra = g1.execOk("rdisc6", "-1", "-r", "5", "-w", "2000", "eth0").replaceAll("[ \t]+", " ");
            assertTrue(ra.contains("Stateful address conf. : Yes") && ra.contains("Autonomous address conf.: No"), ra);

            addresses.sort(null);
            assertEquals(addresses, leased(d));
            d.kill9();
            d.start();
            Await.until(WAIT, "the leases after kill -9", () -> leased(d).equals(addresses));
        }
    }

    private static List<String> leased(DaemonProcess d) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode l : d.call("network.dhcpLeases", Map.of("network", "v6d"))) {
            if ("ipv6".equals(l.path("protocol").asText())) {
                out.add(java.net.InetAddress.getByName(l.path("ipAddress").asText()).getHostAddress());
            }
        }
        out.sort(null);
        return out;
    }

    /** Ends a dhclient left running by -1 (it stays to renew). */
    private static final class Exec {
        static void kill(Path pidFile) throws Exception {
            if (Files.exists(pidFile)) {
                String pid = Files.readString(pidFile).trim();
                if (!pid.isEmpty()) {
                    org.vnetd.testing.Exec.run("kill", pid);
                }
            }
        }
    }
}
