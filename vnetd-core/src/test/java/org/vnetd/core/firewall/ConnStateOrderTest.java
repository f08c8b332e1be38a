package org.vnetd.core.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A recorded plan must serialize the same way in every JVM, whatever order the states came in. */
class ConnStateOrderTest {
    @Test
    void statesIterateSortedWhateverTheirInputOrder() {
        LinkedHashSet<String> given = new LinkedHashSet<>(List.of("related", "new", "established"));
        assertEquals(List.of("established", "new", "related"), List.copyOf(new Match.ConnState(given).states()));
    }

    @Test
    void equalityIgnoresOrder() {
        assertEquals(new Match.ConnState(new LinkedHashSet<>(List.of("related", "established"))),
                new Match.ConnState(new LinkedHashSet<>(List.of("established", "related"))));
    }
}
