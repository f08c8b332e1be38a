package org.vnetd.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A real guest: QEMU (TCG, no KVM) boots Debian's cloud kernel with an initramfs built here from
 * busybox-static; its virtio NIC uses the tap from port.create on vnetd's default network. Inside,
 * udhcpc gets a lease from vnetd's DHCP, nslookup resolves a name through vnetd's DNS, and wget reaches
 * an "upstream" namespace that has no route back to the guest's subnet, so only NAT can carry the reply.
 * The test reads the guest's serial console. Needs qemu-system-x86, linux-image-cloud-amd64,
 * busybox-static.
 */
@Tag("qemu")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PortQemuGuestTest {
    static final long BOOT_BUDGET_SECONDS = 180;
    static final String GUEST_MAC = "52:54:00:5e:e0:01";
    static final List<String> MODULES = List.of("kernel/drivers/virtio/virtio_ring.ko", "kernel/drivers/virtio/virtio.ko",
            "kernel/drivers/virtio/virtio_pci_legacy_dev.ko", "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
            "kernel/drivers/virtio/virtio_pci.ko", "kernel/net/core/failover.ko", "kernel/drivers/net/net_failover.ko",
            "kernel/drivers/net/virtio_net.ko");

    @Test
    void guestGetsDhcpDnsAndNatThroughItsPort(@TempDir Path dir) throws Exception {
        NetnsSupport.require("nft", "qemu-system-x86_64", "busybox");
        Path kernel = kernel();
        Path initrd = dir.resolve("initrd.gz");
        buildInitramfs(kernel, initrd);

        try (TestNetns ns = TestNetns.create("qemu"); TestNetns up = TestNetns.create("qemuup");
                DaemonProcess daemon = new DaemonProcess(ns, dir.resolve("vnetd"), PortParams.LOG_LEVEL)) {
            // upstream: 203.0.113.10 with no route to 192.168.122.0/24 — replies only come back through NAT
            ns.veth("vup0", up, "vup1");
            ns.execOk("ip", "addr", "add", "203.0.113.1/24", "dev", "vup0");
            up.execOk("ip", "addr", "add", "203.0.113.10/24", "dev", "vup1");
            up.execOk("ip", "link", "set", "lo", "up");
            Path www = dir.resolve("www");
            Files.createDirectories(www);
            Files.writeString(www.resolve("index.html"), "hello-from-upstream\n");
            Process httpd = up.start("busybox", "httpd", "-f", "-p", "8080", "-h", www.toString());
            try {
                daemon.start();
                daemon.call("network.destroy", Map.of("network", "default"));
                // the default network, plus a DNS host the guest resolves through vnetd
                String host = "<host ip='203.0.113.10'><hostname>upstream.example</hostname></host>";
                String xml = daemon.call("network.getXml", Map.of("network", "default")).get("xml").asText();
                xml = xml.contains("<dns>") ? xml.replace("<dns>", "<dns>" + host)
                        : xml.replaceFirst("(<bridge [^>]*/>)", "$1<dns>" + host + "</dns>");
                assertTrue(xml.contains("upstream.example"), xml);
                daemon.call("network.define", Map.of("xml", xml));
                daemon.call("network.start", Map.of("network", "default"));
                JsonNode port = daemon.call("port.create", Map.of("network", "default", "mac", GUEST_MAC, "ownerUid", 0,
                        "vnetHdr", true));
                String tap = port.get("tap").asText();

                List<String> argv = new ArrayList<>(ns.prefix());
                argv.addAll(List.of("qemu-system-x86_64", "-accel", "tcg", "-m", "256", "-nodefaults", "-no-reboot",
                        "-display", "none", "-serial", "stdio", "-monitor", "none", "-kernel", kernel.toString(), "-initrd",
                        initrd.toString(), "-append", "console=ttyS0 panic=-1 loglevel=4",
                        "-netdev", "tap,id=n0,ifname=" + tap + ",script=no,downscript=no,vhost=off",
                        "-device", "virtio-net-pci,netdev=n0,mac=" + GUEST_MAC));
                Process qemu = new ProcessBuilder(argv).redirectErrorStream(true).start();
                StringBuilder console = new StringBuilder();
                try {
                    String done = awaitConsole(qemu, console);
                    String out = console.toString();
                    assertTrue(done != null, "the guest did not finish within " + BOOT_BUDGET_SECONDS + " s:\n" + tail(out));
                    Matcher dhcp = Pattern.compile("VNT-DHCP (192\\.168\\.122\\.\\d+)").matcher(out);
                    assertTrue(dhcp.find(), "udhcpc got no lease:\n" + tail(out));
                    JsonNode leases = daemon.call("network.dhcpLeases", Map.of("network", "default", "mac", GUEST_MAC));
                    assertEquals(1, leases.size(), leases.toString());
                    assertEquals(dhcp.group(1), leases.get(0).get("ipAddress").asText(), "vnetd's DHCP gave the guest its address");
                    assertTrue(out.contains("VNT-DNS-OK"), "upstream.example did not resolve through vnetd's DNS:\n" + tail(out));
                    assertTrue(out.contains("VNT-HTTP hello-from-upstream"), "upstream not reached through NAT:\n" + tail(out));
                } finally {
                    qemu.destroyForcibly();
                    qemu.waitFor(20, TimeUnit.SECONDS);
                }
                daemon.call("port.delete", Map.of("network", "default", "uuid", port.get("uuid").asText()));
            } finally {
                httpd.destroyForcibly();
                httpd.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Reads the serial console until VNT-DONE, the process ends, or the boot budget is spent. */
    private static String awaitConsole(Process qemu, StringBuilder console) throws Exception {
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(qemu.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (console) {
                        console.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // QEMU was killed
            }
        });
        try {
            return Await.value(Duration.ofSeconds(BOOT_BUDGET_SECONDS), Duration.ofMillis(200), "VNT-DONE on the guest's console", () -> {
                boolean alive = qemu.isAlive();
                if (!alive) {
                    reader.join(2000); // the rest of the console
                }
                synchronized (console) {
                    if (console.indexOf("VNT-DONE") >= 0) {
                        return Optional.of("done");
                    }
                }
                if (!alive) {
                    throw new AssertionError("QEMU exited"); // an Error: no point looking again
                }
                return Optional.empty();
            });
        } catch (AssertionError notDone) {
            return null; // the caller fails with the console's tail
        }
    }

    private static String tail(String s) {
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }

    /** Debian's cloud kernel whose modules are installed (linux-image-cloud-amd64). */
    private static Path kernel() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/boot"))) {
            for (Path p : s.sorted().toList().reversed()) {
                String n = p.getFileName().toString();
                if (n.startsWith("vmlinuz-") && Files.isDirectory(Path.of("/lib/modules", n.substring("vmlinuz-".length())))) {
                    return p;
                }
            }
        }
        throw new AssertionError("no /boot/vmlinuz-* with modules in /lib/modules: apt-get install linux-image-cloud-amd64");
    }

    private static void buildInitramfs(Path kernel, Path target) throws IOException {
        Path mods = Path.of("/lib/modules", kernel.getFileName().toString().substring("vmlinuz-".length()));
        Initramfs fs = new Initramfs().dir("bin").dir("lib").dir("lib/modules").dir("etc").dir("proc").dir("sys").dir("dev")
                .dir("tmp").dir("sbin").dir("usr").dir("usr/bin").dir("usr/sbin")
                .copy("bin/busybox", Path.of("/bin/busybox"), true);
        StringBuilder insmod = new StringBuilder();
        for (String m : MODULES) {
            String name = Path.of(m).getFileName().toString();
            Path src = mods.resolve(m);
            if (Files.exists(src)) { // built in on other kernels
                fs.copy("lib/modules/" + name, src, false);
                insmod.append("insmod /lib/modules/").append(name).append('\n');
            }
        }
        fs.file("udhcpc.sh", """
                #!/bin/busybox sh
                case "$1" in
                  bound|renew)
                    ip addr flush dev "$interface"
                    ip addr add "$ip/$mask" dev "$interface"
                    [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
                    echo "nameserver ${dns%% *}" > /etc/resolv.conf
                    echo "VNT-DHCP $ip router $router dns $dns"
                    ;;
                esac
                exit 0
                """, true);
        fs.file("init", """
                #!/bin/busybox sh
                /bin/busybox --install -s
                mount -t proc proc /proc
                mount -t sysfs sys /sys
                mount -t devtmpfs dev /dev
                """ + insmod + """
                echo VNT-MODULES
                ip link set lo up
                ip link set eth0 up
                udhcpc -i eth0 -s /udhcpc.sh -f -q -n -t 20 -T 2 || echo VNT-DHCP-FAILED
                NS=$(sed -n 's/^nameserver //p' /etc/resolv.conf)
                A=$(nslookup upstream.example "$NS" 2>&1)
                echo "$A"
                echo "$A" | grep -q 203.0.113.10 && echo VNT-DNS-OK
                # static busybox's wget crashes in glibc's NSS; nc with a numeric address and port does not
                BODY=$(printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 10 203.0.113.10 8080 2>&1 | tail -n 1)
                echo "VNT-HTTP $BODY"
                echo VNT-DONE
                poweroff -f
                """, true);
        fs.writeTo(target);
    }
}
