package org.vnetd.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.vnetd.testing.Conformance;

/**
 * docs/network-xml-elements.md is {@link NetworkElementsTable#markdown()}, and the table names every element and
 * attribute of libvirt's network grammar. {@code -Dvnetd.writeDocs=true} rewrites the file instead of failing.
 */
class NetworkElementsTableTest {
    private static final Path DOC = Path.of("").toAbsolutePath().getParent().resolve("docs/network-xml-elements.md");
    private static final Pattern NAME = Pattern.compile("<(element|attribute) name=[\"']([^\"']+)[\"']");

    @Test
    void theDocumentIsCurrent() throws Exception {
        String generated = NetworkElementsTable.markdown();
        if (Boolean.getBoolean("vnetd.writeDocs")) {
            Files.writeString(DOC, generated);
        }
        String onDisk = Files.exists(DOC) ? Files.readString(DOC) : "(missing)";
        assertEquals(generated, onDisk, DOC + " is stale: mvn -pl vnetd-core test -Dtest=NetworkElementsTableTest -Dvnetd.writeDocs=true");
    }

    @Test
    void everyNameOfLibvirtsGrammarHasARow() throws Exception {
        Set<String> elements = new TreeSet<>();
        Set<String> attributes = new TreeSet<>();
        for (NetworkElementsTable.Row row : NetworkElementsTable.rows()) {
            for (String part : row.element().split("/")) {
                elements.add(part.replace("dnsmasq:", ""));
            }
            row.attributes().forEach(a -> attributes.add(a.replaceFirst("=.*", "")));
        }
        Set<String> missing = new TreeSet<>();
        for (String rng : new String[] {"network.rng", "networkcommon.rng"}) {
            Matcher m = NAME.matcher(Files.readString(Conformance.libvirt().resolve("src/conf/schemas").resolve(rng)));
            while (m.find()) {
                Set<String> known = m.group(1).equals("element") ? elements : attributes;
                if (!known.contains(m.group(2))) {
                    missing.add(m.group(1) + " " + m.group(2) + " (" + rng + ")");
                }
            }
        }
        assertEquals(Set.of(), missing, "names of libvirt's grammar without a row in NetworkElementsTable");
    }

    @Test
    void aRefusedElementIsNamedWithItsReason() {
        String md = NetworkElementsTable.markdown();
        assertTrue(md.contains("| `domain` | `register` | **refused** at define and start: `<domain register='yes'>` (vnetd does not register"), md);
        assertTrue(md.contains("| `virtualport` | `type='openvswitch'` | ports added to the Open vSwitch bridge"), md);
    }
}
