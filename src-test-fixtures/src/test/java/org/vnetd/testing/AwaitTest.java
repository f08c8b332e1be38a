package org.vnetd.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void returnsAsSoonAsTheConditionHolds() {
        AtomicInteger looks = new AtomicInteger();
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(1), "three looks", () -> looks.incrementAndGet() == 3);
        assertEquals(3, looks.get());
        assertEquals("found", Await.value(Duration.ofSeconds(10), "a value", () -> Optional.of("found")));
    }

    @Test
    void failsAtTheDeadlineNamingWhatWasAwaitedAndTheLastError() {
        IOException cause = new IOException("no such file");
        long t0 = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class,
                () -> Await.until(Duration.ofMillis(100), "the snapshot file", () -> {
                    throw cause;
                }));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 100 && ms < 5_000, ms + " ms");
        assertTrue(e.getMessage().contains("waiting for the snapshot file; the last look failed: java.io.IOException: no such file"),
                e.getMessage());
        assertSame(cause, e.getCause());
    }

    @Test
    void looksOnceMoreAtTheDeadline() {
        AtomicInteger looks = new AtomicInteger();
        // a poll longer than the timeout: the first look fails, the one at the deadline succeeds
        Await.until(Duration.ofMillis(50), Duration.ofSeconds(10), "the second look", () -> looks.incrementAndGet() == 2);
        assertEquals(2, looks.get());
    }
}
