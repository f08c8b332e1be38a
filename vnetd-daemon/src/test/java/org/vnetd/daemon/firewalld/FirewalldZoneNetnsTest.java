package org.vnetd.daemon.firewalld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.daemon.rpc.DaemonRpc.RpcFailure;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.PrivateFirewalld;
import org.vnetd.testing.TestNetns;

/**
 * Bridges in firewalld zones as libvirt puts them there, through the real daemon and a real firewalld (Debian's,
 * on a private system bus in the test's namespace, {@link PrivateFirewalld}): NAT networks in {@code libvirt},
 * routed ones in {@code libvirt-routed}, {@code <bridge zone>} in its zone, {@code open} ones in none; out of
 * the zone at destroy; back in it after an administrator moved it or firewalld forgot it on a reload, once
 * vnetd reloads; a zone firewalld lacks fails the start and leaves nothing. A guest's ping to the bridge shows the
 * zone is what decides: answered in {@code libvirt}, dropped in {@code drop}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FirewalldZoneNetnsTest {
    private static final String LOG_LEVEL = System.getProperty("vnetd.test.logLevel", "INFO");

    private static String network(String name, String mode, String bridge, String bridgeAttrs, String subnet) {
        String forward = mode.equals("none") ? "" : "<forward mode='" + mode + "'/>";
        return "<network><name>" + name + "</name>" + forward + "<bridge name='" + bridge + "' stp='off'" + bridgeAttrs + "/>"
                + "<dns enable='no'/><ip address='" + subnet + ".1' netmask='255.255.255.0'/></network>";
    }

    @Test
    void bridgesGoInLibvirtsZonesAndLeaveThemAtDestroy(@TempDir Path dir) throws Exception {
        NetnsSupport.require(PrivateFirewalld.COMMANDS);
        try (TestNetns ns = TestNetns.create("fwzone");
             TestNetns guest = TestNetns.create("fwguest");
             PrivateFirewalld fwd = PrivateFirewalld.start(ns);
             DaemonProcess daemon = new DaemonProcess(ns, dir.resolve("vnetd"), LOG_LEVEL)) {
            daemon.environment(fwd.environment()).start();
            define(daemon, network("fz", "nat", "vntfz0", "", "10.77.0"));
            daemon.call("network.start", params("network", "fz"));
            assertEquals("libvirt", fwd.zoneOfInterface("vntfz0"));

            // a guest on the bridge: firewalld's libvirt zone lets its ping to the host through, its drop zone not
            ns.veth("vntfzp", guest, "eth0");
            ns.execOk("ip", "link", "set", "vntfzp", "master", "vntfz0");
            guest.execOk("ip", "addr", "add", "10.77.0.9/24", "dev", "eth0");
            Await.until(Duration.ofSeconds(30), "the guest's ping to the bridge in zone libvirt", () -> pings(guest, "10.77.0.1"));
            fwd.changeZoneOfInterface("drop", "vntfz0");
            assertFalse(pings(guest, "10.77.0.1"), "in firewalld's drop zone the host does not answer");
            // vnetd's reload puts the bridge back where it belongs, as libvirt does when firewalld reloads
            daemon.call("firewall.reload", Map.of());
            assertEquals("libvirt", fwd.zoneOfInterface("vntfz0"));
            Await.until(Duration.ofSeconds(30), "the guest's ping after vnetd's reload", () -> pings(guest, "10.77.0.1"));
            fwd.reload();
            assertEquals("", fwd.zoneOfInterface("vntfz0"), "firewalld forgets runtime zones on its reload");
            daemon.call("firewall.reload", Map.of());
            assertEquals("libvirt", fwd.zoneOfInterface("vntfz0"));

            // a restarted daemon adopts the network and repairs the zone
            daemon.stop();
            fwd.changeZoneOfInterface("drop", "vntfz0");
            daemon.start();
            assertEquals("libvirt", fwd.zoneOfInterface("vntfz0"), "adoption puts the bridge back in its zone");

            // firewalld keeps a deleted interface's name in its zone: destroy takes it out
            daemon.call("network.destroy", params("network", "fz"));
            assertEquals("", fwd.zoneOfInterface("vntfz0"));

            define(daemon, network("fr", "route", "vntfr0", "", "10.78.0"));
            daemon.call("network.start", params("network", "fr"));
            assertEquals("libvirt-routed", fwd.zoneOfInterface("vntfr0"));
            define(daemon, network("ft", "nat", "vntft0", " zone='trusted'", "10.79.0"));
            daemon.call("network.start", params("network", "ft"));
            assertEquals("trusted", fwd.zoneOfInterface("vntft0"));
            define(daemon, network("fo", "open", "vntfo0", "", "10.80.0"));
            daemon.call("network.start", params("network", "fo"));
            assertEquals("", fwd.zoneOfInterface("vntfo0"), "libvirt gives open networks no zone unless asked");
            for (String n : new String[] {"fr", "ft", "fo"}) {
                daemon.call("network.destroy", params("network", n));
            }
            assertEquals("", fwd.zoneOfInterface("vntfr0"));
            assertEquals("", fwd.zoneOfInterface("vntft0"));

            // a zone firewalld does not have: the start fails with firewalld's word for it, and leaves nothing
            define(daemon, network("fx", "nat", "vntfx0", " zone='nosuch'", "10.81.0"));
            RpcFailure e = daemon.fail("network.start", params("network", "fx"));
            assertEquals(ErrorCode.FIREWALL.number(), e.code, e.getMessage());
            assertTrue(e.getMessage().contains("INVALID_ZONE") && e.getMessage().contains("nosuch"), e.getMessage());
            assertFalse(ns.exec("ip", "link", "show", "vntfx0").ok(), "the failed start's bridge is gone");
            assertFalse(daemon.call("network.lookup", params("network", "fx")).get("active").asBoolean());
        }
    }

    @Test
    void aZoneWithoutFirewalldIsRefusedAtStartAndNoZoneNeedsNone(@TempDir Path dir) throws Exception {
        try (TestNetns ns = TestNetns.create("fwnone");
             DaemonProcess daemon = new DaemonProcess(ns, dir.resolve("vnetd"), LOG_LEVEL)) {
            // a bus that is not there: as a host without D-Bus (and never the host's own bus)
            daemon.environment(Map.of("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + dir.resolve("no-bus.sock"))).start();
            define(daemon, network("nz", "nat", "vntnz0", " zone='trusted'", "10.82.0"));
            RpcFailure e = daemon.fail("network.start", params("network", "nz"));
            assertEquals(ErrorCode.FIREWALL.number(), e.code, e.getMessage());
            assertTrue(e.getMessage().contains("zone trusted requested for network nz but firewalld is not active"), e.getMessage());
            assertFalse(ns.exec("ip", "link", "show", "vntnz0").ok(), "the failed start's bridge is gone");
            define(daemon, network("nn", "nat", "vntnn0", "", "10.83.0"));
            daemon.call("network.start", params("network", "nn"));
            daemon.call("network.destroy", params("network", "nn"));
        }
    }

    private static void define(DaemonProcess daemon, String xml) throws Exception {
        daemon.call("network.define", params("xml", xml));
    }

    private static boolean pings(TestNetns guest, String address) {
        return guest.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "1", address).ok();
    }

    private static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
