package org.vnetd.daemon.tftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * PXE the libvirt way, through the real daemon: a network with {@code <tftp root>} and
 * {@code <bootp file>}; a guest's DHCP client is told the next server and boot file, and fetches that
 * file by TFTP. A missing root fails the start with error 25 naming the path, and leaves nothing behind.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TftpDaemonNetnsTest {
    private static String xml(String name, String bridge, String subnet, String root) {
        return """
                <network>
                  <name>%s</name>
                  <bridge name='%s' stp='off'/>
                  <ip address='%s.1' netmask='255.255.255.0'>
                    <tftp root='%s'/>
                    <dhcp>
                      <range start='%s.10' end='%s.20'/>
                      <bootp file='pxelinux.0'/>
                    </dhcp>
                  </ip>
                </network>""".formatted(name, bridge, subnet, root, subnet, subnet);
    }

    @Test
    void guestBootsTheLibvirtWay() throws Exception {
        NetnsSupport.require("busybox", "nft", "ss");
        Path root = Files.createTempDirectory("vnetd-tftp-daemon-root");
        Path work = Files.createTempDirectory("vnetd-tftp-daemon-work");
        byte[] loader = new byte[42_000];
        new Random(42).nextBytes(loader);
        Path file = root.resolve("pxelinux.0");
        Files.write(file, loader);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (TestNetns host = TestNetns.create("tftpd"); TestNetns guest = TestNetns.create("tftpdg");
                DaemonProcess d = new DaemonProcess(host, Files.createTempDirectory("vnetd-tftp-daemon"), "INFO")) {
            d.start("--no-default-network");
            Path socket = d.socket();
            DaemonRpc.call(socket, "network.create", Map.of("xml", xml("pxe", "vntpxe0", "10.91.0", root.toString())));
            String udp = host.execOk("ss", "-Hlun");
            assertTrue(udp.contains("10.91.0.1%vntpxe0:69 "), "port 69 on the bridge address, bound to the bridge:\n" + udp);

            host.execOk("ip", "link", "add", "vg1", "type", "veth", "peer", "name", "eth0", "netns", guest.name());
            host.execOk("ip", "link", "set", "vg1", "master", "vntpxe0", "up");
            guest.execOk("ip", "link", "set", "eth0", "up");
            Path script = work.resolve("udhcpc.sh");
            Path bound = work.resolve("bound");
            Files.writeString(script, """
                    #!/bin/sh
                    if [ "$1" = bound ]; then
                      ip addr add "$ip/24" dev "$interface"
                      echo "$siaddr $boot_file" > %s
                    fi
                    exit 0
                    """.formatted(bound));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            Exec.Result dhcp = guest.exec(Duration.ofSeconds(60), "busybox", "udhcpc", "-i", "eth0", "-f", "-q", "-n", "-t", "10", "-T", "1",
                    "-s", script.toString());
            assertTrue(dhcp.ok(), dhcp + "\n" + d.log());
            assertEquals("10.91.0.1 pxelinux.0", Files.readString(bound).trim(), "DHCP names this host and the boot file");

            Path out = work.resolve("pxelinux.0");
            Exec.Result r = guest.exec(Duration.ofSeconds(60), "busybox", "tftp", "-g", "-b", "1468", "-r", "pxelinux.0", "-l",
                    out.toString(), "10.91.0.1");
            assertTrue(r.ok(), r + "\n" + d.log());
            assertArrayEquals(loader, Files.readAllBytes(out));

            DaemonRpc.call(socket, "network.destroy", Map.of("network", "pxe"));
            assertFalse(java.util.regex.Pattern.compile(":69\\s").matcher(host.execOk("ss", "-Hlun")).find(),
                    "port 69 closed with the network");

            // a root that is not there: the start fails, names the path, and undoes everything
            String missing = root.resolve("not-there").toString();
            DaemonRpc.RpcFailure e = DaemonRpc.fail(socket, "network.create", Map.of("xml", xml("pxe2", "vntpxe1", "10.92.0", missing)));
            assertEquals(25, e.code, e.getMessage());
            assertTrue(e.getMessage().contains(missing), e.getMessage());
            assertFalse(host.exec("ip", "link", "show", "vntpxe1").ok(), "the bridge was removed again");
            d.stop();
            assertFalse(d.log().contains("ERROR"), d.log());
        } finally {
            for (Path p : new Path[] {root, work}) {
                try (var walk = Files.walk(p)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }
}
