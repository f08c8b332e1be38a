package org.vnetd.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.RaUplink;
import org.vnetd.testing.TestNetns;

/**
 * The forwarding trap staged for real: a namespace whose uplink gives it its default route by router
 * advertisement. Doctor says what starting an IPv6 NAT network will do; once forwarding is on with
 * {@code accept_ra = 1} (the route is gone) it fails and names the fix; with the fix applied and the
 * next advertisement in, it passes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class Ipv6AcceptRaNamespaceTest {
    private static final String XML = "<network><name>six</name><forward mode='nat'/><bridge name='br6'/>"
            + "<ip family='ipv6' address='fd00::1' prefix='64'/></network>";

    @Test
    void explainsTheTrapAndPassesOnceFixed() {
        NetnsSupport.require("ip", "sysctl", "dnsmasq");
        try (TestNetns ns = TestNetns.create("acceptra"); RaUplink uplink = RaUplink.create(ns, "up0")) {
            HostProbe host = new CommandHostProbe(ns.prefix());
            NetworkFacts six = NetworkFacts.of(new NetworkSummary("six", "u", false, true, false, "br6", null), XML, List.of(),
                    List.of());
            Ipv6AcceptRaCheck check = new Ipv6AcceptRaCheck();

            Finding before = check.run(host, List.of(six)).getFirst();
            assertEquals(Severity.INFO, before.severity(), before.toString());
            assertTrue(before.summary().contains("accept_ra = 2 on up0"), before.summary());

            ns.execOk("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1"); // as a tool unaware of the trap does
            assertTrue(!uplink.hasRaDefaultRoute(), "the kernel dropped the route");
            Finding trapped = check.run(host, List.of(six)).getFirst();
            assertEquals(Severity.FAIL, trapped.severity(), trapped.toString());
            assertTrue(trapped.fix().startsWith("sysctl -w net.ipv6.conf.up0.accept_ra=2"), trapped.fix());

            ns.execOk("sysctl", "-qw", "net.ipv6.conf.up0.accept_ra=2");
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(200), "the next advertisement's route", uplink::hasRaDefaultRoute);
            Finding fixed = check.run(host, List.of(six)).getFirst();
            assertEquals(Severity.OK, fixed.severity(), fixed.toString());
        }
    }
}
