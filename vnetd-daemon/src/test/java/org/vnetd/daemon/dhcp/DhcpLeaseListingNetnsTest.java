package org.vnetd.daemon.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.dhcp.DhcpClientNs;
import org.vnetd.testing.dhcp.Udhcpc;

/**
 * The server's lease listing (what {@code virsh net-dhcp-leases} and {@code network.dhcpLeases} read, on an RPC
 * event loop) never waits for the lease log: while a sync stalls on the disk holding the log's lock, the listing
 * returns at once, with the leases whose ACKs have left and without the one whose ACK that sync holds, even though
 * its record is already written. Real udhcpc clients against the real server in namespaces.
 */
@Timeout(120)
class DhcpLeaseListingNetnsTest {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @Test
    void aListingReturnsWhileASyncStallsAndShowsNoLeaseWhoseAckWasNotSent() throws Exception {
        NetnsSupport.require("busybox");
        try (DhcpNetnsFixture fx = new DhcpNetnsFixture("dhcplist")) {
            fx.start(DhcpNetnsFixture.config(Duration.ofMinutes(5)));
            DhcpClientNs first = fx.topo.addClient(null);
            try (Udhcpc a = new Udhcpc(first, false, "first")) {
                a.start();
                assertNotNull(a.awaitBound(WAIT).address());
                Await.until(WAIT, "the first client's lease is listed", () -> macs(fx.service.leases()).contains(first.mac()));

                CountDownLatch stalled = new CountDownLatch(1);
                CountDownLatch disk = new CountDownLatch(1);
                fx.service.store().afterEachWrite(() -> {
                    stalled.countDown();
                    try {
                        disk.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                DhcpClientNs second = fx.topo.addClient(null);
                try (Udhcpc b = new Udhcpc(second, false, "second")) {
                    try {
                        b.start();
                        assertTrue(stalled.await(WAIT.toSeconds(), TimeUnit.SECONDS),
                                "the second client's REQUEST bound a lease whose record was written; its sync stalls");
                        String wal = Files.readString(fx.leaseDir.resolve(DhcpNetnsFixture.BRIDGE + ".wal")).replace("\0", "");
                        assertTrue(wal.contains(second.mac()), "the stalled sync wrote the second binding: " + wal);
                        List<DhcpLease> listed = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> fx.service.leases(),
                                "the listing waited for the stalled sync");
                        assertEquals(List.of(first.mac()), macs(listed),
                                "listed: the lease whose ACK left; not the one whose ACK the stalled sync holds");
                    } finally {
                        disk.countDown();
                    }
                    assertNotNull(b.awaitBound(WAIT).address(), "the second client gets its ACK once the sync ends");
                    Await.until(WAIT, "the second client's lease is listed once its ACK has left",
                            () -> macs(fx.service.leases()).contains(second.mac()));
                }
            }
        }
    }

    private static List<String> macs(List<DhcpLease> leases) {
        return leases.stream().map(l -> l.mac().toString()).toList();
    }
}
