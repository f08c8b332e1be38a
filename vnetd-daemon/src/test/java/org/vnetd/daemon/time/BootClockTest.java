package org.vnetd.daemon.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The lease clock follows time passing, not the wall clock's steps. */
class BootClockTest {
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void wallClockStepsForwardAndBackDoNotMoveIt() {
        SteppingClock c = new SteppingClock(T0, Duration.ofMinutes(5));
        BootClock lease = c.leaseClock("boot-a");
        assertEquals(T0, lease.instant());
        c.pass(Duration.ofSeconds(30));
        c.step(Duration.ofDays(3)); // NTP at boot: the RTC was three days behind
        assertEquals(T0.plusSeconds(30), lease.instant());
        c.pass(Duration.ofSeconds(30));
        c.step(Duration.ofDays(-4)); // and back, past where it started
        assertEquals(T0.plusSeconds(60), lease.instant());
    }

    @Test
    void bootSecondsRoundTripAndShowAsTheWallClockWill() {
        SteppingClock c = new SteppingClock(T0, Duration.ofMinutes(5));
        BootClock lease = c.leaseClock("boot-a");
        Instant expiry = lease.instant().plus(Duration.ofHours(1));
        long boot = lease.bootSeconds(expiry);
        assertEquals(300 + 3600, boot);
        c.step(Duration.ofDays(2));
        BootClock later = c.leaseClock("boot-a"); // a daemon started after the step, same boot
        assertEquals(Duration.ofHours(1), Duration.between(later.instant(), later.fromBootSeconds(boot)),
                "an hour left, whatever the wall clock did");
        assertEquals(c.instant().plus(Duration.ofHours(1)), later.toWall(later.fromBootSeconds(boot)),
                "shown as the wall clock will read then");
        assertTrue(lease.toWall(expiry).isAfter(T0.plus(Duration.ofDays(2))), "the first clock shows it in today's wall time too");
    }
}
