package org.vnetd.daemon.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A wall clock and a boot-time counter a test moves by hand: {@link #pass} moves both (time passing),
 * {@link #step} only the wall clock (NTP, {@code date -s}, a resumed VM's clock being corrected).
 */
public final class SteppingClock extends Clock {
    private final AtomicReference<Instant> wall;
    private final AtomicLong bootNanos;

    public SteppingClock(Instant wall, Duration sinceBoot) {
        this.wall = new AtomicReference<>(wall);
        this.bootNanos = new AtomicLong(sinceBoot.toNanos());
    }

    public void pass(Duration d) {
        wall.updateAndGet(t -> t.plus(d));
        bootNanos.addAndGet(d.toNanos());
    }

    public void step(Duration d) {
        wall.updateAndGet(t -> t.plus(d));
    }

    public long bootNanos() {
        return bootNanos.get();
    }

    /** A lease clock over this one, started now, in boot {@code bootId}. */
    public BootClock leaseClock(String bootId) {
        return new BootClock(this, this::bootNanos, bootId);
    }

    @Override
    public Instant instant() {
        return wall.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
