package org.vnetd.core.tftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TftpNegotiationTest {
    private static final TftpLimits ETHERNET = TftpLimits.forMtu(1500);

    private static Map<String, String> opts(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultCapIsTheEthernetPayload() {
        assertEquals(1468, ETHERNET.maxBlockSize());
        assertEquals(8968, TftpLimits.forMtu(9000).maxBlockSize());
        assertEquals(65464, TftpLimits.forMtu(65536).maxBlockSize());
    }

    @Test
    void blksizeIsGrantedUpToTheCap() {
        assertEquals(1024, Negotiation.of(opts("blksize", "1024"), TransferMode.OCTET, 10, ETHERNET).blockSize());
        Negotiation big = Negotiation.of(opts("blksize", "65464"), TransferMode.OCTET, 10, ETHERNET);
        assertEquals(1468, big.blockSize());
        assertEquals("1468", big.oack().get("blksize"), "the OACK value is at most what was asked (RFC 2348)");
        assertEquals(1468, Negotiation.of(opts("blksize", "99999"), TransferMode.OCTET, 10, ETHERNET).blockSize());
        assertEquals(8, Negotiation.of(opts("blksize", "8"), TransferMode.OCTET, 10, ETHERNET).blockSize());
    }

    @Test
    void invalidBlksizeIsLeftOutAndDefaultApplies() {
        for (String bad : List.of("7", "0", "-5", "abc", "", "0x400", "99999999999")) {
            Negotiation n = Negotiation.of(opts("blksize", bad), TransferMode.OCTET, 10, ETHERNET);
            assertEquals(512, n.blockSize(), bad);
            assertTrue(n.oack().isEmpty(), bad);
        }
    }

    @Test
    void tsizeAnswersTheFileSizeInOctetModeOnly() {
        assertEquals("3000000", Negotiation.of(opts("tsize", "0"), TransferMode.OCTET, 3_000_000, ETHERNET).oack().get("tsize"));
        assertTrue(Negotiation.of(opts("tsize", "0"), TransferMode.NETASCII, 3_000_000, ETHERNET).oack().isEmpty());
    }

    @Test
    void timeoutOneTo255IsEchoed() {
        Negotiation n = Negotiation.of(opts("timeout", "3"), TransferMode.OCTET, 1, ETHERNET);
        assertEquals(Duration.ofSeconds(3), n.timeout());
        assertEquals("3", n.oack().get("timeout"));
        assertEquals("255", Negotiation.of(opts("timeout", "255"), TransferMode.OCTET, 1, ETHERNET).oack().get("timeout"));
        for (String bad : List.of("0", "256", "x")) {
            Negotiation b = Negotiation.of(opts("timeout", bad), TransferMode.OCTET, 1, ETHERNET);
            assertNull(b.timeout(), bad);
            assertTrue(b.oack().isEmpty(), bad);
        }
    }

    @Test
    void windowsizeIsCappedAndOctetOnly() {
        assertEquals(4, Negotiation.of(opts("windowsize", "4"), TransferMode.OCTET, 1, ETHERNET).windowSize());
        assertEquals(32, Negotiation.of(opts("windowsize", "500"), TransferMode.OCTET, 1, ETHERNET).windowSize());
        assertEquals(1, Negotiation.of(opts("windowsize", "8"), TransferMode.NETASCII, 1, ETHERNET).windowSize());
        assertTrue(Negotiation.of(opts("windowsize", "0"), TransferMode.OCTET, 1, ETHERNET).oack().isEmpty());
    }

    @Test
    void unknownOptionsAreIgnoredAndOrderIsTheClients() {
        Negotiation n = Negotiation.of(opts("tsize", "0", "multicast", "", "blksize", "1400"), TransferMode.OCTET, 5, ETHERNET);
        assertEquals(List.of("tsize", "blksize"), List.copyOf(n.oack().keySet()));
    }
}
