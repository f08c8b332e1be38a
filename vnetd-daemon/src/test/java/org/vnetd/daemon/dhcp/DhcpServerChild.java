package org.vnetd.daemon.dhcp;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Child JVM running a DhcpService (started inside the namespace via ip netns exec), killed with -9 by the test. */
public final class DhcpServerChild {
    public static void main(String[] args) throws Exception {
        DhcpService service = new DhcpService(Path.of(args[0]), Clock.systemUTC());
        service.start(DhcpNetnsFixture.config(Duration.ofSeconds(Long.parseLong(args[1]))));
        System.out.println("READY " + service.leases().size());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
