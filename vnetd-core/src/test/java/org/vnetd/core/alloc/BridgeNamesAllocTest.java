package org.vnetd.core.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

class BridgeNamesAllocTest {
    @Test
    void firstFreeSkipsNamesOfNetworksAndOfLinks() {
        Set<String> networks = Set.of("virbr0", "virbr2");
        Set<String> links = Set.of("virbr1", "virbr3");
        assertEquals("virbr4", BridgeNames.firstFree(null, networks::contains, links::contains));
    }

    @Test
    void emptyWorldGivesVirbr0() {
        assertEquals("virbr0", BridgeNames.firstFree(null, n -> false, n -> false));
        assertEquals("virbr0", BridgeNames.firstFree("", n -> false, n -> false));
    }

    @Test
    void templateIsHonoured() {
        assertEquals("br-1-x", BridgeNames.firstFree("br-%d-x", n -> n.equals("br-0-x"), n -> false));
    }

    @Test
    void plainNameIsKept() {
        assertEquals("mybr", BridgeNames.firstFree("mybr", n -> true, n -> true));
    }

    @Test
    void templateRules() {
        assertTrue(BridgeNames.isTemplate("virbr%d"));
        assertFalse(BridgeNames.isTemplate("vir%dbr%d"));
        assertFalse(BridgeNames.isTemplate("virbr%s"));
        assertFalse(BridgeNames.isTemplate("virbr%"));
        VnetException e = assertThrows(VnetException.class, () -> BridgeNames.firstFree("a%d%d", n -> false, n -> false));
        assertEquals(ErrorCode.XML_VALIDATION, e.code());
        assertTrue(e.getMessage().contains("a%d%d"), e.getMessage());
    }

    @Test
    void exhaustionIsAConflict() {
        VnetException e = assertThrows(VnetException.class, () -> BridgeNames.firstFree(null, n -> true, n -> false));
        assertEquals(ErrorCode.CONFLICT, e.code());
    }

    @Test
    void templateGivingTooLongNameIsRefused() {
        VnetException e = assertThrows(VnetException.class,
                () -> BridgeNames.firstFree("abcdefghijklmn%d", n -> n.length() <= 15, n -> false));
        assertTrue(e.getMessage().contains("longer than 15"), e.getMessage());
    }

    @Test
    void lastIdIs256() {
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 256; i++) {
            used.add("virbr" + i);
        }
        assertEquals("virbr256", BridgeNames.firstFree(null, used::contains, n -> false));
    }
}
