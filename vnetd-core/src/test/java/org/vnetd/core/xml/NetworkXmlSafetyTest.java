package org.vnetd.core.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** Hostile input is refused up front with a clear error: no file read, no expansion, no hang. */
class NetworkXmlSafetyTest {
    private static VnetException refused(String xml) {
        // bounded: a regression to entity expansion must fail the test, not hang the build
        return assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(VnetException.class, () -> NetworkXml.parse(xml)));
    }

    @Test
    void externalEntityIsRefused() {
        VnetException e = refused("""
                <?xml version="1.0"?>
                <!DOCTYPE network [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <network><name>&xxe;</name></network>
                """);
        assertEquals(ErrorCode.XML_UNSAFE, e.code());
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE network [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            dtd.append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        VnetException e = refused(dtd + "<network><name>&lol9;</name></network>");
        assertEquals(ErrorCode.XML_UNSAFE, e.code());
    }

    @Test
    void doctypeAfterCommentIsRefused() {
        VnetException e = refused("<!-- hi --><!DOCTYPE network SYSTEM \"http://example.com/x.dtd\"><network/>");
        assertEquals(ErrorCode.XML_UNSAFE, e.code());
    }

    @Test
    void oversizeInputIsRefusedBeforeParsing() {
        String big = "<network><name>n</name><description>" + "x".repeat(SafeXml.MAX_BYTES) + "</description></network>";
        VnetException e = refused(big);
        assertEquals(ErrorCode.XML_UNSAFE, e.code());
        assertTrue(e.getMessage().contains("larger than the limit of 1048576 bytes"), e.getMessage());
    }

    @Test
    void malformedXmlNamesTheLine() {
        VnetException e = refused("<network>\n  <name>n</name>\n  <bridge name='x'>\n</network>\n");
        assertEquals(ErrorCode.XML_PARSE, e.code());
        assertTrue(e.getMessage().startsWith("(network_definition):4: Opening and ending tag mismatch: bridge line 3 and network"),
                e.getMessage());
    }

    @Test
    void wrongRootElementIsRefused() {
        VnetException e = refused("<domain><name>n</name></domain>");
        assertEquals(ErrorCode.XML_PARSE, e.code());
        assertEquals("expecting root element of 'network', not 'domain'", e.getMessage());
    }

    @Test
    void updateFragmentsAreParsedSafelyToo() {
        var def = NetworkXml.parse("<network><name>n</name><ip address='10.0.0.1' prefix='24'/></network>");
        VnetException e = assertThrows(VnetException.class, () -> NetworkUpdate.apply(def, "add-last", "ip-dhcp-host", 0,
                "<!DOCTYPE host [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><host name='&x;' ip='10.0.0.5'/>"));
        assertEquals(ErrorCode.XML_UNSAFE, e.code());
        assertTrue(def.ips().get(0).hosts().isEmpty());
    }
}
