package org.vnetd.daemon.dhcp;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

/** Child JVM running a DhcpService (started inside the namespace via ip netns exec), killed with -9 by the test. */
public final class DhcpServerChild {
    public static void main(String[] args) throws Exception {
        var group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        DhcpService service = new DhcpService(Path.of(args[0]), group, Clock.systemUTC());
        service.start(DhcpNetnsFixture.config(Duration.ofSeconds(Long.parseLong(args[1]))));
        System.out.println("READY " + service.leases().size());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
