package org.vnetd.core.firewall;

import java.util.List;
import java.util.Objects;

/** One rule: in this family and phase, when all matches hold, apply the verdict. */
public record FirewallRule(Family family, Phase phase, List<Match> matches, Verdict verdict) {
    public FirewallRule {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(verdict, "verdict");
        matches = List.copyOf(matches);
    }

    public static FirewallRule of(Family family, Phase phase, Verdict verdict, Match... matches) {
        return new FirewallRule(family, phase, List.of(matches), verdict);
    }
}
