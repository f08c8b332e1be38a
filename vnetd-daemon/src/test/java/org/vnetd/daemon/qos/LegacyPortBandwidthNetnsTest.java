package org.vnetd.daemon.qos;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * A port stored by a vnetd from before bandwidth was applied (its XML has the portgroup's bandwidth, its notes
 * "bandwidth is not applied yet", its tap no qdisc): the upgraded daemon applies it at start and drops the note.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LegacyPortBandwidthNetnsTest {
    @Test
    void anUpgradedDaemonAppliesTheBandwidthAnEarlierOneOnlyRecorded() throws Exception {
        NetnsSupport.require("tc");
        try (TestNetns host = TestNetns.create("qosleg");
                DaemonProcess d = new DaemonProcess(host, Files.createTempDirectory("vnetd-qleg"), "INFO")) {
            d.start();
            d.call("network.define", Map.of("xml", """
                    <network>
                      <name>qos-leg</name>
                      <bridge name='vbl0' stp='off'/>
                      <portgroup name='slow' default='yes'>
                        <bandwidth><inbound average='300'/></bandwidth>
                      </portgroup>
                      <ip address='192.168.154.1' netmask='255.255.255.0'/>
                    </network>
                    """));
            d.call("network.start", Map.of("network", "qos-leg"));
            String tap = d.call("port.create", Map.of("network", "qos-leg", "mac", "52:54:00:00:0c:01")).get("tap").asText();
            d.stop();
            // as an earlier vnetd left it: the bandwidth recorded with its note, nothing on the tap
            host.execOk("tc", "qdisc", "del", "dev", tap, "root");
            Path log = d.runDir().resolve("ports").resolve("ports.log");
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(text.contains("\"notes\":[]"), text);
            Files.writeString(log, text.replace("\"notes\":[]", "\"notes\":[\"bandwidth is not applied yet\"]"), StandardCharsets.UTF_8);
            assertFalse(host.execOk("tc", "qdisc", "show", "dev", tap).contains("htb"));

            d.start();
            assertTrue(host.execOk("tc", "class", "show", "dev", tap).contains("class htb 1:1 root prio 0 rate 2400Kbit"),
                    "the tap's rate is applied at start");
            assertFalse(d.call("port.list", Map.of()).toString().contains("bandwidth"), "and the note is gone");
        }
    }
}
