package org.vnetd.daemon.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * vnetd with its standard run dir serves libvirt's standard path, {@code /run/libvirt/virtnetworkd-sock}, so
 * plain {@code virsh -c network:///system} reaches it. Run in a private mount namespace with a tmpfs on
 * {@code /run} (and a network namespace of its own): the host's /run is never touched.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StandardSocketNetnsTest {
    @Test
    void plainVirshFindsVnetdAtLibvirtsStandardPath(@TempDir Path dir) throws Exception {
        NetnsSupport.require("nft", "virsh", "unshare");
        try (TestNetns ns = TestNetns.create("stdsock")) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String daemon = String.join(" ", List.of(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                    "-XX:TieredStopAtLevel=1", "-cp", "\"$CP\"", "org.vnetd.daemon.Main", "--config-dir", dir + "/etc",
                    "--state-dir", dir + "/var"));
            // everything below runs in the private mount namespace; the daemon's default run dir is /run/vnetd
            String script = String.join("\n",
                    "set -eu",
                    "mount -t tmpfs tmpfs /run",
                    daemon + " > " + dir + "/vnetd.log 2>&1 &",
                    "pid=$!",
                    "trap 'kill $pid; wait $pid || true' EXIT",
                    "for i in $(seq 1200); do [ -S /run/libvirt/virtnetworkd-sock-ro ] && break; sleep 0.1; done",
                    "stat -c '%a %n' /run/libvirt/virtnetworkd-sock /run/libvirt/virtnetworkd-sock-ro",
                    "virsh -c network:///system net-list --all --name",
                    "virsh -r -c network:///system net-info default | head -1");
            List<String> argv = new ArrayList<>(ns.prefix());
            argv.addAll(List.of("unshare", "-m", "--propagation", "private", "env", "CP=" + System.getProperty("java.class.path"),
                    "sh", "-c", script));
            Exec.Result r = Exec.run(Duration.ofMinutes(3), null, argv);
            assertEquals(0, r.exitCode(), () -> r.stdout() + r.stderr() + log(dir));
            assertEquals("""
                    600 /run/libvirt/virtnetworkd-sock
                    666 /run/libvirt/virtnetworkd-sock-ro
                    default

                    Name:           default
                    """, r.stdout(), () -> log(dir));
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("vnetd.log"));
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
