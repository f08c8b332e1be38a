package org.vnetd.core.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

class RaScheduleTest {
    /** Always the upper end of the range asked for: the longest interval, the longest delay. */
    static final RandomGenerator HIGHEST = new RandomGenerator() {
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        public long nextLong(long origin, long bound) {
            return bound - 1;
        }
    };

    /** Always the lower end. */
    static final RandomGenerator LOWEST = new RandomGenerator() {
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        public long nextLong(long origin, long bound) {
            return origin;
        }
    };

    @Test
    void firstAtOnceThenFastThenPeriodic() {
        RaSchedule s = new RaSchedule(RaTiming.DEFAULT, HIGHEST);
        s.start(1000);
        assertTrue(s.due(1000));
        s.sent(1000);
        assertEquals(1000 + 16_000, s.nextDue(), "initial advertisements are at most 16 s apart");
        s.sent(17_000);
        assertEquals(17_000 + 16_000, s.nextDue());
        s.sent(33_000);
        assertEquals(33_000 + 600_000, s.nextDue(), "after three, MaxRtrAdvInterval");
        assertFalse(s.due(33_000 + 599_999));
        assertTrue(s.due(33_000 + 600_000));
    }

    @Test
    void periodicIntervalStaysWithinMinAndMax() {
        RaSchedule s = new RaSchedule(new RaTiming(Duration.ofSeconds(30), Duration.ofSeconds(60)), new SplittableRandom(7));
        s.start(0);
        long now = 0;
        for (int i = 0; i < 1000; i++) {
            s.sent(now);
            long interval = s.nextDue() - now;
            if (i >= 2) {
                assertTrue(interval >= 30_000 && interval <= 60_000, "interval " + interval);
            } else {
                assertTrue(interval >= 16_000 && interval <= 16_000, "initial interval " + interval);
            }
            now = s.nextDue();
        }
    }

    @Test
    void solicitationIsAnsweredWithinHalfASecond() {
        RaSchedule s = new RaSchedule(RaTiming.DEFAULT, HIGHEST);
        s.start(0);
        s.sent(0);
        s.sent(16_000);
        s.sent(32_000);
        s.solicited(100_000);
        assertEquals(100_000 + 500, s.nextDue());
    }

    @Test
    void answersAreAtLeastThreeSecondsApart() {
        RaSchedule s = new RaSchedule(RaTiming.DEFAULT, LOWEST);
        s.start(0);
        s.sent(0);
        s.solicited(1000);
        assertEquals(3000, s.nextDue(), "MIN_DELAY_BETWEEN_RAS after the last one");
    }

    @Test
    void aFloodOfSolicitationsSharesOneAnswer() {
        RaSchedule s = new RaSchedule(RaTiming.DEFAULT, new SplittableRandom(1));
        s.start(0);
        s.sent(0);
        s.sent(16_000);
        s.sent(32_000);
        assertTrue(s.solicited(50_000), "the first solicitation brings an advertisement forward");
        long first = s.nextDue();
        int own = 0;
        for (int i = 1; i <= 10_000; i++) {
            own += s.solicited(50_000 + i % 400) ? 1 : 0;
        }
        assertEquals(0, own, "the rest share it: rate-limited");
        assertTrue(s.nextDue() <= first && s.nextDue() >= 50_000 && s.nextDue() <= 50_500, "one answer within the first delay");
        long answered = s.nextDue();
        s.sent(answered);
        for (int i = 1; i <= 10_000; i++) {
            own += s.solicited(answered + i % 400) ? 1 : 0;
        }
        assertEquals(0, own, "held back by MIN_DELAY_BETWEEN_RAS, then sharing: rate-limited");
        assertTrue(s.nextDue() >= answered + 3000, "the next answer waits out MIN_DELAY_BETWEEN_RAS: " + (s.nextDue() - answered));
        long second = s.nextDue();
        s.sent(second);
        assertTrue(s.solicited(second + 3500), "3 s after the last advertisement, a solicitation brings one forward again");
    }

    /**
     * A network starts before any guest: its first advertisement cannot go out (no carrier, no link-local
     * address). The first guest's solicitation is then answered at once, not 3 s after that attempt, and
     * the attempt is not one of the three fast initial advertisements.
     */
    @Test
    void anAdvertisementThatCouldNotBeSentHoldsNothingBack() {
        RaSchedule s = new RaSchedule(RaTiming.DEFAULT, HIGHEST);
        s.start(0);
        s.sent(0);
        s.failed();
        assertEquals(16_000, s.nextDue(), "the next try where the failed one put it: no loop");
        assertTrue(s.solicited(1000), "nothing went out: the solicitation's own answer");
        assertEquals(1500, s.nextDue(), "within MAX_RA_DELAY, not MIN_DELAY_BETWEEN_RAS after the failed attempt");
        s.sent(1500);
        s.sent(17_500);
        assertEquals(17_500 + 16_000, s.nextDue(), "still the fast start: the failed attempt was not one of the three");
    }

    @Test
    void aSolicitationNeverDelaysADueAdvertisement() {
        RaSchedule s = new RaSchedule(RaTiming.DEFAULT, HIGHEST);
        s.start(0);
        s.solicited(0);
        assertEquals(0, s.nextDue());
    }

    @Test
    void nothingIsDueBeforeStart() {
        RaSchedule s = new RaSchedule(RaTiming.DEFAULT, HIGHEST);
        s.solicited(5);
        assertFalse(s.due(Long.MAX_VALUE));
    }
}
