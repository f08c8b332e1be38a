package org.vnetd.core.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.VnetException;

class TapNamesAllocTest {
    @Test
    void countsUpAndSkipsExisting() {
        TapNames names = new TapNames();
        Set<String> existing = Set.of("vnet1");
        assertEquals("vnet0", names.next(existing::contains));
        assertEquals("vnet2", names.next(existing::contains));
        assertEquals("vnet3", names.next(existing::contains));
    }

    @Test
    void freedNameIsNotReusedAtOnce() {
        TapNames names = new TapNames();
        assertEquals("vnet0", names.next(n -> false));
        // vnet0 was deleted meanwhile: the counter still moves forward
        assertEquals("vnet1", names.next(n -> false));
    }

    @Test
    void resumeAfterHighestExisting() {
        assertEquals(8, TapNames.resumeAfter("vnet", List.of("lo", "vnet3", "vnet7", "vnetx", "virbr0")));
        assertEquals(0, TapNames.resumeAfter("vnet", List.of("lo")));
        assertEquals("vnet8", new TapNames("vnet", 8).next(n -> false));
    }

    @Test
    void boundedWhenEverythingIsTaken() {
        assertThrows(VnetException.class, () -> new TapNames().next(n -> true));
    }
}
