package org.vnetd.core.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;

/** The value types of the link layer: what they accept and refuse before anything reaches the kernel. */
class NetlinkLinkSpecsTest {
    @Test
    void kernelExceptionMessageAndNote() {
        KernelException e = new KernelException("create bridge", "virbr0", 17, "EEXIST", "File exists", null);
        assertEquals("create bridge 'virbr0' failed: EEXIST (File exists)", e.getMessage());
        assertEquals(ErrorCode.KERNEL, e.code());
        assertEquals(Optional.empty(), e.kernelMessage());
        KernelException x = new KernelException("attach 've0' to bridge 'br1'", "ve0", 95, "EOPNOTSUPP", "Operation not supported",
                "some text");
        assertEquals("attach 've0' to bridge 'br1' failed: EOPNOTSUPP (Operation not supported); kernel: some text", x.getMessage());
        KernelException n = x.withNote("'ve0' now has no master");
        assertTrue(n.getMessage().endsWith("; 've0' now has no master"));
        assertEquals(95, n.errno());
        assertEquals(Optional.of("ve0"), n.interfaceName());
    }

    @Test
    void linkNames() {
        assertEquals("abcdefghijklmno", LinkNames.check("abcdefghijklmno"));
        for (String bad : new String[] {"", "abcdefghijklmnop", "a b", "a/b", "a:b", ".", ".."}) {
            VnetException e = assertThrows(VnetException.class, () -> LinkNames.check(bad), bad);
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        }
    }

    @Test
    void bridgeDelayIsInCentiseconds() {
        assertEquals(Duration.ofMillis(1500), BridgeSpec.of("br0").withForwardDelay(Duration.ofMillis(1500)).forwardDelay());
        assertThrows(IllegalArgumentException.class, () -> BridgeSpec.of("br0").withForwardDelay(Duration.ofMillis(1505)));
        assertThrows(IllegalArgumentException.class, () -> BridgeSpec.of("br0").withForwardDelay(Duration.ofSeconds(-1)));
    }

    @Test
    void ipv4AddressGetsLibvirtsBroadcast() {
        assertEquals(Optional.of(IpAddresses.parse("192.168.122.255")),
                AddressSpec.ipv4("virbr0", IpPrefix.parse("192.168.122.1/24")).broadcast());
        assertEquals(Optional.empty(), AddressSpec.ipv4("virbr0", IpPrefix.parse("10.0.0.1/31")).broadcast());
        AddressSpec v6 = AddressSpec.of("virbr0", IpPrefix.parse("fd00::1/64"));
        assertTrue(v6.noDad());
        assertEquals(Optional.empty(), v6.broadcast());
        assertThrows(IllegalArgumentException.class, () -> AddressSpec.ipv4("virbr0", IpPrefix.parse("fd00::1/64")));
    }

    @Test
    void routeNeedsGatewayOrDeviceOfTheSameFamily() {
        assertThrows(IllegalArgumentException.class, () -> new RouteSpec(IpPrefix.parse("10.0.0.0/8"), Optional.empty(),
                Optional.empty(), java.util.OptionalInt.empty()));
        assertThrows(IllegalArgumentException.class,
                () -> RouteSpec.viaGateway(IpPrefix.parse("10.0.0.0/8"), IpAddresses.parse("fd00::1")));
        assertEquals(5, RouteSpec.viaDevice(IpPrefix.parse("10.0.0.0/8"), "virbr0").withMetric(5).metric().getAsInt());
    }

    @Test
    void sysctlKeys() {
        assertEquals("net.ipv4.ip_forward", SysctlKey.parse("net.ipv4.ip_forward").toString());
        assertEquals(5, SysctlKey.ofInterface("ipv6", "eth0.100", "accept_ra").segments().size());
        Sysctl.Change c = new Sysctl.Change(SysctlKey.parse("net.ipv4.ip_forward"), "0", "1");
        assertTrue(c.changed());
    }
}
