package org.vnetd.daemon.dhcp;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;

/**
 * vnetd's DHCP server as a standalone process for bench/dhcp/run.sh (run it inside the bench's
 * namespace): {@code DhcpBenchServer LEASE_DIR BRIDGE SERVER_CIDR RANGE_START RANGE_END}.
 * Same durability as in the daemon: every ACK waits for the lease log's group commit.
 */
public final class DhcpBenchServer {
    public static void main(String[] args) throws Exception {
        IpPrefix server = IpPrefix.parse(args[2]);
        Inet4Address addr = (Inet4Address) server.address();
        DhcpConfig cfg = new DhcpConfig(args[1], addr, server.networkPrefix(),
                List.of(new DhcpConfig.Range((Inet4Address) IpAddresses.parse(args[3]), (Inet4Address) IpAddresses.parse(args[4]))),
                List.of(), DhcpConfig.DEFAULT_LEASE_TIME, addr, List.of(addr), "bench.test", null, null, null);
        DhcpService service = new DhcpService(Path.of(args[0]), Clock.systemUTC());
        service.start(cfg);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            var s = service.stats();
            System.err.printf("vnetd dhcp: received=%d malformed=%d offers=%d acks=%d naks=%d ignored=%s leases=%d%n",
                    s.received(), s.malformed(), s.offers(), s.acks(), s.naks(), s.ignored(), service.leases().size());
            System.err.println("vnetd dhcp lease log: " + service.syncStats());
            service.stop();
        }));
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
