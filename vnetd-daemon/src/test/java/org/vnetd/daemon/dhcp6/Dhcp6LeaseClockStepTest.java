package org.vnetd.daemon.dhcp6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.dhcp6.Dhcp6Lease;
import org.vnetd.core.dhcp6.Duid;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.daemon.time.BootClock;
import org.vnetd.daemon.time.SteppingClock;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * DHCPv6 leases across clock steps, as DHCPv4's (LeaseClockStepTest): a lease keeps the time it has left
 * when the wall clock jumps between daemons (boot ID plus boot-time and wall-clock expiries), in the log
 * and in the snapshot; after a reboot the wall-clock expiry counts; files without boot times still load.
 */
class Dhcp6LeaseClockStepTest {
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    /** The store's directory: {@link #dir}, or a part of it for one case of a test. */
    private Path store;

    @org.junit.jupiter.api.BeforeEach
    void store() {
        store = dir;
    }

    private static Dhcp6Lease lease(Instant expiry) {
        return new Dhcp6Lease(Duid.parse("00:03:00:01:52:54:00:00:00:0a"), 1, (Inet6Address) IpAddresses.parse("fd00::10"), expiry, "guest");
    }

    /** A daemon's store, opened with the lease clock as the daemon opens it: what it serves. */
    private List<Dhcp6Lease> reopen(Clock clock, Instant now) {
        try (Dhcp6LeaseStore s = Dhcp6LeaseStore.open(store, "v6", JSON, clock)) {
            return s.leases(now);
        }
    }

    /** Binds for {@code length}; {@code compact}: closed (the snapshot holds it), else killed (the log does). */
    private void bind(BootClock clock, Duration length, boolean compact) {
        Dhcp6LeaseStore s = Dhcp6LeaseStore.open(store, "v6", JSON, clock);
        s.append(new Dhcp6LeaseChange(false, lease(clock.instant().plus(length))));
        s.sync();
        if (compact) {
            s.close();
        }
    }

    @Test
    void aStepForwardBetweenDaemonsEndsNoLeaseFromTheLogOrTheSnapshot() {
        for (boolean compact : new boolean[] {false, true}) {
            store = dir.resolve(compact ? "snapshot" : "log");
            SteppingClock c = new SteppingClock(T0, Duration.ofMinutes(1));
            bind(c.leaseClock("boot-a"), Duration.ofHours(1), compact);
            c.pass(Duration.ofMinutes(10));
            c.step(Duration.ofDays(3)); // NTP sets the clock the RTC had wrong
            BootClock next = c.leaseClock("boot-a");
            List<Dhcp6Lease> leases = reopen(next, next.instant());
            assertEquals(1, leases.size(), "the lease is still there (compacted: " + compact + ")");
            // (read by its wall-clock expiry alone, as the store did before, it ended three days ago)
            assertEquals(Duration.ofMinutes(50), Duration.between(next.instant(), leases.get(0).expiry()), "with the 50 minutes it has left");
        }
    }

    @Test
    void aStepBackNeitherStretchesNorEndsIt() {
        SteppingClock c = new SteppingClock(T0, Duration.ofMinutes(1));
        bind(c.leaseClock("boot-a"), Duration.ofHours(1), false);
        c.pass(Duration.ofMinutes(20));
        c.step(Duration.ofDays(-1));
        BootClock next = c.leaseClock("boot-a");
        List<Dhcp6Lease> leases = reopen(next, next.instant());
        assertEquals(Duration.ofMinutes(40), Duration.between(next.instant(), leases.get(0).expiry()));
        c.pass(Duration.ofMinutes(41));
        assertTrue(leases.get(0).isExpired(next.instant()), "and it ends when its hour is up");
    }

    @Test
    void afterARebootTheWallClockExpiryCountsAndOldFilesLoad() throws Exception {
        SteppingClock c = new SteppingClock(T0, Duration.ofMinutes(1));
        bind(c.leaseClock("boot-a"), Duration.ofHours(1), true);
        String snapshot = Files.readString(dir.resolve("v6.dhcp6.json"));
        assertTrue(snapshot.contains("\"boot\":\"boot-a\"") && snapshot.contains("\"bexp\":" + (60 + 3600)), snapshot);
        SteppingClock rebooted = new SteppingClock(T0.plus(Duration.ofMinutes(15)), Duration.ofSeconds(20));
        BootClock next = rebooted.leaseClock("boot-b");
        List<Dhcp6Lease> leases = reopen(next, next.instant());
        assertEquals(T0.plus(Duration.ofHours(1)), leases.get(0).expiry(), "boot time of another boot means nothing");
        assertFalse(leases.get(0).isExpired(next.instant()));

        // a log line written before the boot-time fields existed
        Files.delete(dir.resolve("v6.dhcp6.json"));
        long exp = T0.plus(Duration.ofHours(2)).getEpochSecond();
        Files.writeString(dir.resolve("v6.dhcp6.wal"), "{\"op\":\"bind\",\"duid\":\"00:03:00:01:52:54:00:00:00:0a\",\"iaid\":1,"
                + "\"address\":\"fd00::10\",\"expiry\":" + exp + ",\"hostname\":\"guest\"}\n");
        assertEquals(List.of(lease(Instant.ofEpochSecond(exp))), reopen(next, next.instant()));
    }
}
