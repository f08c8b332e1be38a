package org.vnetd.daemon.libvirtimport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.vnetd.testing.Await;
import org.vnetd.testing.Exec;

/**
 * libvirt's dnsmasq is stopped by its pid file's pid only while that pid is still dnsmasq for that network,
 * and its end is seen at once although it is not the daemon's child.
 */
class LibvirtDaemonsTest {
    /** A daemonized process (not this JVM's child, as libvirt's dnsmasq is not vnetd's) that looks like libvirt's dnsmasq for {@code network}. */
    static long fakeDnsmasq(String network) throws Exception {
        String pid = Exec.run("bash", "-c", "(exec -a dnsmasq perl -e 'sleep 120' -- --conf-file=/var/lib/libvirt/dnsmasq/" + network
                + ".conf >/dev/null 2>&1 &) ; sleep 0.2; pgrep -n -f 'conf-file=/var/lib/libvirt/dnsmasq/" + network + ".conf'")
                .orThrow().stdout().trim();
        long p = Long.parseLong(pid);
        Await.until(Duration.ofSeconds(10), "the fake dnsmasq's exec",
                () -> new String(Files.readAllBytes(Path.of("/proc/" + p + "/cmdline"))).startsWith("dnsmasq\0"));
        return p;
    }

    @Test
    void stopsLibvirtsDnsmasqForTheNetworkAndNothingElse() throws Exception {
        long first = fakeDnsmasq("vnt-first");
        long mine = fakeDnsmasq("vnt-default");
        long other = fakeDnsmasq("vnt-lab");
        try {
            assertTrue(LibvirtDaemons.stop(first, "dnsmasq", "/vnt-first.conf")); // the first call loads the code it runs
            long t0 = System.nanoTime();
            assertTrue(LibvirtDaemons.stop(mine, "dnsmasq", "/vnt-default.conf"));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            // ProcessHandle.onExit of a process not our child took ~2 s to see it end
            assertTrue(ms < 300, "took " + ms + " ms");
            assertTrue(LibvirtDaemons.ended(mine));
            assertFalse(LibvirtDaemons.stop(other, "dnsmasq", "/vnt-default.conf"), "another network's dnsmasq");
            assertFalse(LibvirtDaemons.ended(other));
            assertFalse(LibvirtDaemons.stop(ProcessHandle.current().pid(), "dnsmasq", "/vnt-default.conf"), "not a dnsmasq");
            Await.until(Duration.ofSeconds(10), "the stopped one to be reaped", () -> ProcessHandle.of(mine).isEmpty());
            assertFalse(LibvirtDaemons.stop(mine, "dnsmasq", "/vnt-default.conf"), "gone");
        } finally {
            for (long p : List.of(first, mine, other)) {
                ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
