package org.vnetd.core.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.w3c.dom.Document;

/** A {@link SafeXml} reuses its parsers: a reused one must parse as a new one would, also after a failure and in parallel. */
class SafeXmlReuseTest {
    private final SafeXml parser = new SafeXml();

    private static String doc(int i) {
        return "<network><name>n" + i + "</name><ip address='10.0." + (i % 250) + ".1' prefix='24'/></network>";
    }

    private static String nameOf(Document d) {
        return d.getDocumentElement().getElementsByTagName("name").item(0).getTextContent();
    }

    @Test
    void aParseAfterAFailedOneIsUnaffected() {
        assertEquals("n1", nameOf(parser.parse(doc(1), "test")));
        for (String bad : List.of("<network><name>x</name>", "<network><name>x</nam></network>", "<network a='1' a='2'/>")) {
            VnetException e = assertThrows(VnetException.class, () -> parser.parse(bad, "test"));
            assertEquals(ErrorCode.XML_PARSE, e.code(), e.getMessage());
            assertEquals("n2", nameOf(parser.parse(doc(2), "test")));
        }
        // the refusal of entities holds for a reused parser too (a parameter entity needs no DOCTYPE check to trip)
        VnetException e = assertThrows(VnetException.class, () -> parser.parse("<network><name>&xxe;</name></network>", "test"));
        assertEquals(ErrorCode.XML_PARSE, e.code(), e.getMessage());
    }

    @Test
    void parallelParsesEachGetTheirOwnDocument() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int base = t * 1000;
                results.add(pool.submit(() -> {
                    for (int i = base; i < base + 300; i++) {
                        Document d = parser.parse(doc(i), "test");
                        if (!nameOf(d).equals("n" + i)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertEquals(true, r.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
