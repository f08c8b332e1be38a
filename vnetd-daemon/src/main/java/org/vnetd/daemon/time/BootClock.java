package org.vnetd.daemon.time;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.sys.Libc;

/**
 * The lease clock, as systemd-networkd's DHCP server keeps it: time that a step of the wall clock does not
 * move (NTP setting the clock at boot, a VM resumed days later, an admin's {@code date -s}). It reads
 * wall-clock time once, at construction, and from then on advances with {@code CLOCK_BOOTTIME} (which
 * counts suspended time too, so a lease still ends while the host sleeps). A lease's expiry is written
 * with both its wall-clock time and its boot-time seconds under the kernel's boot ID
 * ({@link #bootSeconds}); a daemon started later in the same boot takes the boot-time expiry
 * ({@link #fromBootSeconds}), one started after a reboot the wall-clock one.
 *
 * <p>Leases shown to users are converted back to the wall clock as it is now ({@link #toWall}), so a
 * lease that has an hour left shows an hour left whatever the clock did meanwhile.
 */
public final class BootClock extends Clock {
    private static final int CLOCK_BOOTTIME = 7;
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private final Clock wall;
    private final LongSupplier bootNanos;
    private final String bootId;
    private final Instant anchorWall;
    private final long anchorBoot;

    /**
     * @param wall      the wall clock (read at construction for the anchor, and by {@link #toWall})
     * @param bootNanos nanoseconds since boot, suspend included
     * @param bootId    the kernel's boot ID: boot-time values of another boot mean nothing here
     */
    public BootClock(Clock wall, LongSupplier bootNanos, String bootId) {
        this.wall = wall;
        this.bootNanos = bootNanos;
        this.bootId = bootId;
        this.anchorBoot = bootNanos.getAsLong();
        this.anchorWall = wall.instant();
    }

    /** The system's: UTC wall clock, CLOCK_BOOTTIME, /proc/sys/kernel/random/boot_id. */
    public static BootClock system() {
        String id;
        try {
            id = Files.readString(BOOT_ID).trim();
        } catch (IOException e) {
            throw new VnetException(ErrorCode.INTERNAL, "cannot read the boot ID from " + BOOT_ID + ": " + e.getMessage(), e);
        }
        return new BootClock(Clock.systemUTC(), BootClock::boottimeNanos, id);
    }

    private static long boottimeNanos() {
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            MemorySegment ts = arena.allocate(16, 8);
            if (Libc.clockGettime(st, CLOCK_BOOTTIME, ts) < 0) {
                throw new VnetException(ErrorCode.INTERNAL, "clock_gettime(CLOCK_BOOTTIME): " + Libc.strerror(st.errno()));
            }
            return ts.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ts.get(ValueLayout.JAVA_LONG, 8);
        }
    }

    public String bootId() {
        return bootId;
    }

    @Override
    public Instant instant() {
        return anchorWall.plusNanos(bootNanos.getAsLong() - anchorBoot);
    }

    /** Whole seconds since boot at {@code t} of this clock. */
    public long bootSeconds(Instant t) {
        return Math.floorDiv(anchorBoot + Duration.between(anchorWall, t).toNanos(), 1_000_000_000L);
    }

    /** The instant of this clock at {@code seconds} since boot (of this boot). */
    public Instant fromBootSeconds(long seconds) {
        return anchorWall.plusNanos(seconds * 1_000_000_000L - anchorBoot);
    }

    /** {@code t} of this clock as the wall clock shows it now (for users: an expiry as `date` would print it). */
    public Instant toWall(Instant t) {
        return wall.instant().plus(Duration.between(instant(), t));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(ZoneOffset.UTC)) {
            return this;
        }
        throw new UnsupportedOperationException("the lease clock is UTC only");
    }
}
