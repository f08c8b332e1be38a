package org.vnetd.daemon.dhcp6;

import java.net.Inet6Address;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.vnetd.core.dhcp6.Dhcp6Config;
import org.vnetd.core.dhcp6.Duid;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

/**
 * vnetd's DHCPv6 server as a standalone process for bench/dhcp6/run.sh (run it inside the bench's
 * namespace): {@code Dhcp6BenchServer LEASE_DIR BRIDGE SERVER_CIDR RANGE_START RANGE_END}. The real
 * {@link Dhcp6Service} with its durable lease store: every REPLY that binds waits for the lease log's
 * group commit.
 */
public final class Dhcp6BenchServer {
    public static void main(String[] args) throws Exception {
        IpPrefix server = IpPrefix.parse(args[2]);
        Inet6Address addr = (Inet6Address) server.address();
        Dhcp6Config cfg = new Dhcp6Config(args[1], Duid.parse("00:04:76:6e:65:74:64:2d:62:65:6e:63:68:2d:64:68:63:70:36"),
                server, List.of(new Dhcp6Config.Range((Inet6Address) IpAddresses.parse(args[3]),
                        (Inet6Address) IpAddresses.parse(args[4]), null)),
                List.of(), List.of(addr), List.of("bench.test"), Dhcp6Config.DEFAULT_LEASE);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Dhcp6Service service = new Dhcp6Service(Path.of(args[0]), "bench", Clock.systemUTC(), group);
        service.start(cfg);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.printf("vnetd dhcp6: dropped=%d leases=%d%n", service.dropped(), service.leases().size());
            service.stop();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }));
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
