package org.vnetd.core.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * Each expectation is what Debian 12's libvirt 9.0 (libxml2 2.9.14) prints for the same document:
 * {@code virsh -c test:///default net-define FILE}, whose test driver parses network XML with the code libvirtd
 * uses (LibvirtParityNetnsTest compares a few of them with the real libvirtd).
 */
class LibxmlDiagnosisTest {
    static Stream<Arguments> documents() {
        return Stream.of(
                Arguments.of("", "(network_definition):1: Document is empty\n(null)\n^"),
                Arguments.of("   \n", "(network_definition):2: Start tag expected, '<' not found\n(null)\n^"),
                Arguments.of("hello\n", "(network_definition):1: Start tag expected, '<' not found\nhello\n^"),
                Arguments.of("<network>\n  <name>bad</name>\n  <bridge name=\"virbr9\">\n</network>\n",
                        "(network_definition):4: Opening and ending tag mismatch: bridge line 3 and network\n</network>\n----------^"),
                Arguments.of("<network>\n  <name>bad</nam>\n</network>\n",
                        "(network_definition):2: Opening and ending tag mismatch: name line 2 and nam\n  <name>bad</nam>\n-----------------^"),
                Arguments.of("<network>\n\t<name>x</nam>\n</network>\n",
                        "(network_definition):2: Opening and ending tag mismatch: name line 2 and nam\n\t<name>x</nam>\n\t-------------^"),
                Arguments.of("<network>\n  <name>bad</name>\n",
                        "(network_definition):3: Premature end of data in tag network line 1\n(null)\n^"),
                Arguments.of("<network>\n  <name>bad</name>",
                        "(network_definition):2: Premature end of data in tag network line 1\n  <name>bad</name>\n------------------^"),
                Arguments.of("<network>\n  <name>bad</name>\n  <ip address='1.2.3.4'>\n    <dhcp>\n",
                        "(network_definition):5: Premature end of data in tag dhcp line 4\n(null)\n^"),
                Arguments.of("<network><name>bad</name></network>\n<x/>\n",
                        "(network_definition):2: Extra content at the end of the document\n<x/>\n^"),
                Arguments.of("\n\n  <network>\n  <name>bad</name>\n</network>\n  junk\n",
                        "(network_definition):6: Extra content at the end of the document\n  junk\n--^"),
                Arguments.of("<network>\n  <name>x</name>\n</network>\n</network>\n",
                        "(network_definition):4: Extra content at the end of the document\n</network>\n^"),
                Arguments.of("<network>\n  <name>bad</name>\n  <bridge name=virbr9/>\n</network>\n",
                        "(network_definition):3: AttValue: \" or ' expected\n  <bridge name=virbr9/>\n---------------^"),
                Arguments.of("<network>\n  <bridge name/>\n</network>\n",
                        "(network_definition):2: Specification mandates value for attribute name\n  <bridge name/>\n--------------^"),
                Arguments.of("<network>\n  <name>x</name>\n  <bridge name='a' name='b'/>\n</network>\n",
                        "(network_definition):3: Attribute name redefined\n  <bridge name='a' name='b'/>\n---------------------------^"),
                Arguments.of("<network>\n  <name>x</name>\n  <bridge name='a'\n</network>\n",
                        "(network_definition):4: error parsing attribute name\n</network>\n^"),
                Arguments.of("<network>\n  <bridge name='a<b'/>\n</network>\n",
                        "(network_definition):2: Unescaped '<' not allowed in attributes values\n  <bridge name='a<b'/>\n-----------------^"),
                Arguments.of("<network>\n  <name>x</name>\n  <bridge name='a\n</network>\n",
                        "(network_definition):4: Unescaped '<' not allowed in attributes values\n</network>\n^"),
                Arguments.of("<network>\n  <name>a&b</name>\n</network>\n",
                        "(network_definition):2: EntityRef: expecting ';'\n  <name>a&b</name>\n-----------^"),
                Arguments.of("<network>\n  <name>x & y</name>\n</network>\n",
                        "(network_definition):2: xmlParseEntityRef: no name\n  <name>x & y</name>\n-----------^"),
                Arguments.of("<network>\n  <name>a&foo;</name>\n</network>\n",
                        "(network_definition):2: Entity 'foo' not defined\n  <name>a&foo;</name>\n--------------^"));
    }

    @ParameterizedTest
    @MethodSource("documents")
    void wordsTheErrorAsLibvirtDoes(String xml, String libvirt) {
        assertEquals(Optional.of(libvirt), LibxmlDiagnosis.describe(xml, "(network_definition)"));
    }

    @ParameterizedTest
    @MethodSource("documents")
    void networkXmlReportsItSo(String xml, String libvirt) {
        VnetException e = assertThrows(VnetException.class, () -> NetworkXml.parse(xml));
        assertEquals(ErrorCode.XML_PARSE, e.code());
        assertEquals(libvirt, e.getMessage());
    }

    @Test
    void wellFormedXmlAndUnmodelledErrorsAreLeftToTheParser() {
        assertEquals(Optional.empty(), LibxmlDiagnosis.describe("<network><name>a&amp;b</name><!-- c --></network>\n", "f"));
        // an invalid element name and a control character: libxml2's words for them are not modelled
        assertEquals(Optional.empty(), LibxmlDiagnosis.describe("<network>< name/></network>", "f"));
        assertEquals(Optional.empty(), LibxmlDiagnosis.describe("<network>\u0001</nam></network>", "f"));
        VnetException e = assertThrows(VnetException.class, () -> NetworkXml.parse("<network>< name/></network>"));
        assertEquals(ErrorCode.XML_PARSE, e.code());
        assertEquals(true, e.getMessage().startsWith("network XML: line 1 column "), e.getMessage());
    }
}
