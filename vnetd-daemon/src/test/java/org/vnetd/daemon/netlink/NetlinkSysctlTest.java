package org.vnetd.daemon.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.vnetd.core.link.BridgeSpec;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.link.Sysctl;
import org.vnetd.core.link.SysctlKey;

class NetlinkSysctlTest {
    @Test
    void setsAndRestoresInTheNamespaceOnly() {
        try (NetlinkNs t = NetlinkNs.create("nl-sysctl")) {
            String rootBefore = new ProcSysctl().read(SysctlKey.parse("net.ipv4.ip_forward"));
            ProcSysctl sysctl = new ProcSysctl();
            SysctlKey forward = SysctlKey.parse("net.ipv4.ip_forward");
            Sysctl.Change c = t.in(() -> sysctl.set(forward, "1"));
            assertEquals("0", c.oldValue(), "a fresh namespace does not forward");
            assertEquals("1", t.ns.execOk("cat", "/proc/sys/net/ipv4/ip_forward").trim());
            assertEquals(rootBefore, new ProcSysctl().read(forward), "the root namespace is untouched");
            t.run(() -> sysctl.restore(c));
            assertEquals("0", t.ns.execOk("cat", "/proc/sys/net/ipv4/ip_forward").trim());

            t.run(() -> t.backend.createBridge(BridgeSpec.of("br0.100")));
            SysctlKey dis = SysctlKey.ofInterface("ipv6", "br0.100", "disable_ipv6");
            Sysctl.Change d = t.in(() -> sysctl.set(dis, "1"));
            assertEquals("0", d.oldValue());
            assertEquals("1", t.ns.execOk("sysctl", "-n", "net/ipv6/conf/br0.100/disable_ipv6").trim());
            assertEquals("1", t.in(() -> sysctl.read(SysctlKey.ofInterface("ipv6", "br0.100", "disable_ipv6"))));

            KernelException missing = assertThrows(KernelException.class,
                    () -> t.in(() -> sysctl.read(SysctlKey.ofInterface("ipv6", "nosuch0", "accept_ra"))));
            assertEquals("ENOENT", missing.errnoName());
            assertTrue(missing.getMessage().contains("net.ipv6.conf.nosuch0.accept_ra"), missing.getMessage());
            KernelException bad = assertThrows(KernelException.class, () -> t.run(() -> sysctl.write(forward, "banana")));
            assertEquals("EINVAL", bad.errnoName(), bad.getMessage());
        }
    }

    @Test
    void keysMapToPathsSegmentBySegment() {
        ProcSysctl s = new ProcSysctl(Path.of("/proc/sys"));
        assertEquals(Path.of("/proc/sys/net/ipv6/conf/eth0.100/accept_ra"),
                s.path(SysctlKey.ofInterface("ipv6", "eth0.100", "accept_ra")));
        assertThrows(IllegalArgumentException.class, () -> new SysctlKey(java.util.List.of("net", "..", "x")));
    }
}
