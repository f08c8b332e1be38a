package org.vnetd.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * The promise libvirt users care most about: a guest behind the NAT network keeps pinging an
 * upstream host while the daemon is stopped and started again, and not one ping is lost.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DaemonGuestPingStateTest {
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) (?:packets )?received");

    @Test
    void aDaemonRestartLosesNoPing() throws Exception {
        NetnsSupport.require("nft", "busybox");
        try (TestNetns host = TestNetns.create("dping"); TestNetns upstream = TestNetns.create("dupstr");
                TestNetns guest = TestNetns.create("dgstp");
                DaemonProcess d = new DaemonProcess(host, Files.createTempDirectory("vnetd-ping"))) {
            d.start();
            // upstream: a host on 203.0.113.0/24 (TEST-NET-3) that knows nothing of 192.168.122.0/24
            host.veth("up0", upstream, "eth0");
            host.execOk("ip", "addr", "add", "203.0.113.1/24", "dev", "up0");
            upstream.execOk("ip", "addr", "add", "203.0.113.2/24", "dev", "eth0");
            // guest: behind virbr0
            host.execOk("ip", "link", "add", "vg1", "type", "veth", "peer", "name", "eth0", "netns", guest.name());
            host.execOk("ip", "link", "set", "vg1", "master", "virbr0", "up");
            guest.execOk("ip", "link", "set", "eth0", "up");
            guest.execOk("ip", "addr", "add", "192.168.122.50/24", "dev", "eth0");
            guest.execOk("ip", "route", "add", "default", "via", "192.168.122.1");
            // with STP on, the kernel holds a new port in listening/learning for 2 x its minimum forward delay
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(100), "vg1 forwarding on virbr0",
                    () -> host.execOk("bridge", "link", "show", "dev", "vg1").contains("state forwarding"));
            assertTrue(guest.exec("busybox", "ping", "-c", "3", "-W", "2", "203.0.113.2").ok(), "NAT works before the restart");

            Process ping = guest.start("busybox", "ping", "-c", "300", "-i", "0.1", "-W", "5", "203.0.113.2");
            StringBuffer output = new StringBuffer();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader r = ping.inputReader(StandardCharsets.UTF_8)) {
                    r.lines().forEach(line -> output.append(line).append('\n'));
                } catch (IOException e) {
                    output.append("(reading ping's output failed: ").append(e).append(")\n");
                }
            });
            // the restart falls among the pings: some are answered before it, most after
            Await.until(Duration.ofSeconds(30), "20 pings answered before the restart",
                    () -> output.toString().split("bytes from", -1).length - 1 >= 20);
            d.stop();
            d.start();
            assertTrue(ping.waitFor(90, TimeUnit.SECONDS), "ping finished");
            reader.join(Duration.ofSeconds(10));
            String out = output.toString();
            Matcher m = SUMMARY.matcher(out);
            assertTrue(m.find(), out);
            int sent = Integer.parseInt(m.group(1));
            int received = Integer.parseInt(m.group(2));
            assertTrue(sent > 100, out);
            assertEquals(sent, received, "pings lost across the restart:\n" + out);
        }
    }
}
