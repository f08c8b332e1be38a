package org.vnetd.core.alloc;

import java.util.Objects;
import java.util.function.Predicate;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.link.LinkNames;

/**
 * Generates {@code vnetN} tap names like libvirt's virNetDevGenerateName: a counter that only moves
 * forward (a just-freed name is not handed out again at once, so a late event about the old device
 * cannot be confused with the new one), skipping names that exist. One instance per daemon; it is
 * not thread-safe by itself — the caller serialises port creation.
 */
public final class TapNames {
    public static final String PREFIX = "vnet";
    /** Bound on the search so a full namespace cannot loop us forever. */
    static final int MAX_ATTEMPTS = 100_000;

    private final String prefix;
    private int next;

    public TapNames() {
        this(PREFIX, 0);
    }

    /** {@code startAt} lets a restarted daemon continue after the highest id it finds in use. */
    public TapNames(String prefix, int startAt) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        if (startAt < 0) {
            throw new IllegalArgumentException("startAt must not be negative");
        }
        this.next = startAt;
    }

    /** Returns the next name not rejected by {@code inUse} and advances past it. */
    public String next(Predicate<String> inUse) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int id = next;
            next = next == Integer.MAX_VALUE ? 0 : next + 1;
            String name = prefix + id;
            if (name.length() > LinkNames.MAX_LENGTH) {
                continue;
            }
            if (!inUse.test(name)) {
                return name;
            }
        }
        throw VnetException.of(ErrorCode.CONFLICT, "no free %sN interface name after %d attempts", prefix, MAX_ATTEMPTS);
    }

    /** The id after the highest {@code <prefix>N} among {@code existing}, for a daemon that restarts. */
    public static int resumeAfter(String prefix, Iterable<String> existing) {
        int max = -1;
        for (String n : existing) {
            if (n.startsWith(prefix) && n.length() > prefix.length()) {
                String digits = n.substring(prefix.length());
                if (digits.chars().allMatch(Character::isDigit) && digits.length() < 10) {
                    max = Math.max(max, Integer.parseInt(digits));
                }
            }
        }
        return max + 1;
    }
}
