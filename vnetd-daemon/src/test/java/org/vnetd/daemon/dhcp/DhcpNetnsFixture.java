package org.vnetd.daemon.dhcp;

import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.netty.channel.EventLoopGroup;
import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.net.MacAddress;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.dhcp.DhcpTopology;

/** The server side of the namespace tests: topology, a DhcpService in the host namespace, a lease dir. */
final class DhcpNetnsFixture implements AutoCloseable {
    static final String BRIDGE = "vbr0";
    static final String SERVER = "10.77.0.1";
    static final String STATIC_MAC = "52:54:00:77:00:99";
    static final String STATIC_IP = "10.77.0.5";

    final DhcpTopology topo;
    final NetnsExecutor hostThread;
    final Path leaseDir;
    final DhcpService service;

    DhcpNetnsFixture(String purpose) throws Exception {
        topo = DhcpTopology.create(purpose, BRIDGE, SERVER + "/24");
        hostThread = NetnsExecutor.enter(topo.host());
        leaseDir = Files.createTempDirectory("vnetd-dhcp-leases-");
        service = new DhcpService(leaseDir, Clock.systemUTC());
    }

    static Inet4Address ip(String s) {
        return (Inet4Address) IpAddresses.parse(s);
    }

    static DhcpConfig config(Duration leaseTime) {
        return new DhcpConfig(BRIDGE, ip(SERVER), IpPrefix.parse("10.77.0.0/24"),
                List.of(new DhcpConfig.Range(ip("10.77.0.10"), ip("10.77.0.40"), leaseTime)),
                List.of(new DhcpConfig.StaticHost(MacAddress.parse(STATIC_MAC), "fixed", ip(STATIC_IP))),
                DhcpConfig.DEFAULT_LEASE_TIME, ip(SERVER), List.of(ip(SERVER), ip("10.77.0.2")), "vnet.test", 1400,
                null, null);
    }

    /** Starts the server; its socket is created on the host namespace's thread. */
    void start(DhcpConfig config) {
        hostThread.run(() -> service.start(config));
    }

    @Override
    public void close() {
        try {
            service.stop();
        } finally {
            hostThread.close();
            topo.close();
            deleteTree(leaseDir);
        }
    }

    static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // temp dir cleanup is best effort
        }
    }
}
