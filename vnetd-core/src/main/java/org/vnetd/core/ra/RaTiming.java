package org.vnetd.core.ra;

import java.time.Duration;
import java.util.Objects;

/**
 * When unsolicited advertisements go out: a random interval between {@code min} and {@code max}
 * (RFC 4861 §6.2.1 MinRtrAdvInterval, MaxRtrAdvInterval; §6.2.4 randomizes each one).
 */
public record RaTiming(Duration min, Duration max) {
    /** RFC 4861's defaults, which dnsmasq also uses (ra-param interval 600 s): 600 s and a third of it. */
    public static final RaTiming DEFAULT = new RaTiming(Duration.ofSeconds(200), Duration.ofSeconds(600));

    /** §10 MAX_INITIAL_RTR_ADVERT_INTERVAL and MAX_INITIAL_RTR_ADVERTISEMENTS: the fast start. */
    public static final Duration MAX_INITIAL_INTERVAL = Duration.ofSeconds(16);
    public static final int MAX_INITIAL_ADVERTISEMENTS = 3;
    /** §10 MAX_RA_DELAY_TIME: an answer to a solicitation waits a random 0 to this. */
    public static final Duration MAX_RA_DELAY = Duration.ofMillis(500);
    /** §10 MIN_DELAY_BETWEEN_RAS: multicast advertisements are at least this far apart. */
    public static final Duration MIN_DELAY_BETWEEN_RAS = Duration.ofSeconds(3);

    public RaTiming {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (max.compareTo(Duration.ofSeconds(4)) < 0 || max.compareTo(Duration.ofSeconds(1800)) > 0) {
            throw new IllegalArgumentException("MaxRtrAdvInterval " + max.toSeconds() + " s is not 4-1800 s (RFC 4861 §6.2.1)");
        }
        if (min.compareTo(Duration.ofSeconds(3)) < 0 || min.toMillis() > max.toMillis() * 3 / 4) {
            throw new IllegalArgumentException("MinRtrAdvInterval " + min.toSeconds() + " s is not 3 s to 0.75 × "
                    + max.toSeconds() + " s (RFC 4861 §6.2.1)");
        }
    }
}
