package org.vnetd.daemon.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.dhcp.DhcpClientNs;
import org.vnetd.testing.dhcp.Udhcpc;

/**
 * A DHCP server whose port is taken fails its start cleanly (bfe747b): a typed DHCP error naming the port,
 * not running, its lease files closed, its event loop ended, nothing of it bound, and a second start once the port is free serves.
 * Before that commit the bind's failure escaped as netty's checked exception past {@code catch (RuntimeException)}:
 * the caller got a raw socket error and the lease store stayed open.
 */
@Timeout(120)
class DhcpBindFailureNetnsTest {
    @Test
    void aTakenPortFailsTheStartAndLeavesNothingOpenUntilItIsFree() throws Exception {
        NetnsSupport.require("busybox");
        try (DhcpNetnsFixture fx = new DhcpNetnsFixture("dhcpbind")) {
            // another DHCP server's socket: port 67 on every interface, without address reuse
            DatagramSocket holder = fx.hostThread.call(() -> new DatagramSocket(new InetSocketAddress("0.0.0.0", 67)));
            try {
                RuntimeException failed = assertThrows(RuntimeException.class,
                        () -> fx.start(DhcpNetnsFixture.config(Duration.ofMinutes(5))));
                assertFalse(fx.service.isRunning());
                assertEquals(List.of(), openFilesUnder(fx.leaseDir), "the lease store is closed again");
                org.vnetd.testing.Await.until(Duration.ofSeconds(5), "the server's own event loop has ended",
                        () -> Thread.getAllStackTraces().keySet().stream()
                                .noneMatch(t -> t.getName().startsWith("dhcp-" + DhcpNetnsFixture.BRIDGE + "-") && t.isAlive()));
                VnetException e = assertInstanceOf(VnetException.class, failed, "a typed error");
                assertEquals(ErrorCode.DHCP, e.code(), e.toString());
                assertTrue(e.getMessage().contains("cannot start DHCP server on " + DhcpNetnsFixture.BRIDGE)
                        && e.getMessage().contains("Address already in use"), e.getMessage());
            } finally {
                holder.close();
            }
            assertTrue(port67Free(fx), "nothing of the failed start holds the port");

            fx.start(DhcpNetnsFixture.config(Duration.ofMinutes(5)));
            assertTrue(fx.service.isRunning());
            assertFalse(port67Free(fx), "the second start holds port 67");
            DhcpClientNs c = fx.topo.addClient(null);
            try (Udhcpc d = new Udhcpc(c, false, "after-bind-failure")) {
                d.start();
                assertNotNull(d.awaitBound(Duration.ofSeconds(40)).address(), "the second start serves");
            }
        }
    }

    /** Whether a socket that shares no port (no address reuse) can take UDP port 67 in the fixture's namespace. */
    private static boolean port67Free(DhcpNetnsFixture fx) {
        return fx.hostThread.call(() -> {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("0.0.0.0", 67))) {
                return true;
            } catch (BindException taken) {
                return false;
            }
        });
    }

    /** This process's descriptors open on files under {@code dir}. */
    private static List<Path> openFilesUnder(Path dir) throws IOException {
        Path real = dir.toRealPath();
        List<Path> out = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(real)) {
                        out.add(target);
                    }
                } catch (IOException gone) {
                    // the listing's own descriptor, closed by now
                }
            }
        }
        return out;
    }
}
