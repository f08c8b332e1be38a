package org.vnetd.daemon.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.dhcp.ClientId;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.dhcp.LeaseChange;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.MacAddress;
import org.vnetd.daemon.time.BootClock;
import org.vnetd.daemon.time.SteppingClock;

/**
 * Issue 20's "leases across clock steps": a lease keeps the time it has left when the wall clock jumps
 * forward or back while daemons run and between them, as systemd-networkd's DHCP server keeps it (the
 * boot ID plus boot-time and wall-clock expiries); after a reboot the wall-clock expiry counts; files
 * written before the boot-time fields existed still load.
 */
class LeaseClockStepTest {
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path dir;

    private static DhcpLease lease(Instant expiry) {
        MacAddress mac = MacAddress.parse("52:54:00:00:00:0a");
        return new DhcpLease((Inet4Address) IpAddresses.parse("10.0.0.10"), ClientId.ofMac(mac), mac, "guest", expiry);
    }

    /** A daemon's store: opened with the lease clock, as NetworkServices opens it. */
    private List<DhcpLease> reopen(Clock clock, LeaseRecordJson json) {
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", clock, json)) {
            return s.load();
        }
    }

    private void bind(BootClock clock, Duration length) {
        try (DurableLeaseStore s = DurableLeaseStore.open(dir, "vbr0", clock, new LeaseRecordJson(clock))) {
            s.append(new LeaseChange(LeaseChange.Kind.BOUND, lease(clock.instant().plus(length))));
            s.sync();
        }
    }

    @Test
    void aStepForwardBetweenDaemonsEndsNoLease() {
        SteppingClock c = new SteppingClock(T0, Duration.ofMinutes(1));
        bind(c.leaseClock("boot-a"), Duration.ofHours(1));
        c.pass(Duration.ofMinutes(10));
        c.step(Duration.ofDays(3)); // NTP sets the clock the RTC had wrong
        BootClock next = c.leaseClock("boot-a");
        List<DhcpLease> leases = reopen(next, new LeaseRecordJson(next));
        assertEquals(1, leases.size(), "the lease is still there");
        assertEquals(Duration.ofMinutes(50), Duration.between(next.instant(), leases.get(0).expiry()), "with the 50 minutes it has left");
        assertFalse(leases.get(0).isExpired(next.instant()));
    }

    @Test
    void wallClockOnlyTheSameStepWouldHaveEndedIt() {
        // what the store did before the lease clock: the wall-clock expiry, three days in the past
        SteppingClock c = new SteppingClock(T0, Duration.ofMinutes(1));
        bind(c.leaseClock("boot-a"), Duration.ofHours(1));
        c.pass(Duration.ofMinutes(10));
        c.step(Duration.ofDays(3));
        assertEquals(List.of(), reopen(c, new LeaseRecordJson()));
    }

    @Test
    void aStepBackNeitherStretchesNorEndsIt() {
        SteppingClock c = new SteppingClock(T0, Duration.ofMinutes(1));
        bind(c.leaseClock("boot-a"), Duration.ofHours(1));
        c.pass(Duration.ofMinutes(20));
        c.step(Duration.ofDays(-1));
        BootClock next = c.leaseClock("boot-a");
        List<DhcpLease> leases = reopen(next, new LeaseRecordJson(next));
        assertEquals(Duration.ofMinutes(40), Duration.between(next.instant(), leases.get(0).expiry()));
        c.pass(Duration.ofMinutes(41));
        assertTrue(leases.get(0).isExpired(next.instant()), "and it ends when its hour is up");
    }

    @Test
    void aStepWhileTheDaemonRunsMovesNothing() {
        SteppingClock c = new SteppingClock(T0, Duration.ofMinutes(1));
        BootClock running = c.leaseClock("boot-a");
        Instant expiry = running.instant().plus(Duration.ofHours(1));
        DhcpLease l = lease(expiry);
        c.pass(Duration.ofMinutes(30));
        c.step(Duration.ofDays(3));
        assertFalse(l.isExpired(running.instant()), "three days forward: still 30 minutes left");
        c.step(Duration.ofDays(-6));
        c.pass(Duration.ofMinutes(31));
        assertTrue(l.isExpired(running.instant()), "three days back, an hour gone: over");
    }

    @Test
    void afterARebootTheWallClockExpiryCounts() {
        SteppingClock c = new SteppingClock(T0, Duration.ofMinutes(1));
        bind(c.leaseClock("boot-a"), Duration.ofHours(1));
        SteppingClock rebooted = new SteppingClock(T0.plus(Duration.ofMinutes(15)), Duration.ofSeconds(20));
        BootClock next = rebooted.leaseClock("boot-b");
        List<DhcpLease> leases = reopen(next, new LeaseRecordJson(next));
        assertEquals(T0.plus(Duration.ofHours(1)), leases.get(0).expiry(), "boot time of another boot means nothing");
    }

    @Test
    void leaseFilesWithoutBootTimesStillLoad() throws Exception {
        // a log written before the boot-time fields existed
        long exp = T0.plus(Duration.ofHours(2)).getEpochSecond();
        Files.writeString(dir.resolve("vbr0.wal"), "{\"op\":\"bind\",\"ip\":\"10.0.0.10\",\"cid\":\"" + lease(null).clientId()
                + "\",\"mac\":\"52:54:00:00:00:0a\",\"host\":\"guest\",\"exp\":" + exp + "}\n", StandardOpenOption.CREATE_NEW);
        SteppingClock c = new SteppingClock(T0, Duration.ofMinutes(1));
        BootClock next = c.leaseClock("boot-a");
        List<DhcpLease> leases = reopen(next, new LeaseRecordJson(next));
        assertEquals(List.of(lease(Instant.ofEpochSecond(exp))), leases);
        // and what this version writes carries both expiries
        bind(next, Duration.ofHours(1));
        String files = Files.readString(dir.resolve("vbr0.leases")) + Files.readString(dir.resolve("vbr0.wal")).replace("\0", "");
        assertTrue(files.contains("\"boot\":\"boot-a\"") && files.contains("\"bexp\":" + (60 + 3600)), files);
    }
}
