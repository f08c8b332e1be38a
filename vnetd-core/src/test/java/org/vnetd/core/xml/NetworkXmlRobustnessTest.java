package org.vnetd.core.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.testing.Conformance;

/**
 * Mutates libvirt's fixtures (drop or corrupt one attribute, drop one element) and checks two
 * properties: bad input only ever fails with a {@link VnetException} (never an NPE or a number
 * format error), and whatever is accepted formats to a fixed point (format, parse, format again
 * gives the same bytes).
 */
class NetworkXmlRobustnessTest {
    private static final Pattern ATTR = Pattern.compile(" [\\w:]+=(['\"])[^'\"]*\\1");
    private static final Pattern ELEMENT = Pattern.compile("<(\\w+)[^>]*/>");
    private static final String[] JUNK = {"", "x", "-1", "99999999999999999999", "0", "yes", "::", "0x", "%d"};

    @Test
    void mutatedFixturesFailCleanlyOrRoundTrip() throws IOException {
        Path dir = Conformance.libvirtTests("networkxmlconfdata");
        List<Path> inputs;
        try (Stream<Path> files = Files.list(dir)) {
            inputs = files.filter(p -> p.toString().endsWith(".xml") && !p.toString().endsWith(".expect.xml")).sorted().toList();
        }
        Random random = new Random(20261124);
        int accepted = 0;
        int refused = 0;
        List<String> crashes = new ArrayList<>();
        for (Path input : inputs) {
            String xml = Files.readString(input);
            for (int i = 0; i < 10; i++) {
                String mutated = mutate(xml, random);
                try {
                    NetworkDef def = NetworkXml.parse(mutated);
                    NetworkXml.validate(def, NetworkXmlConformanceTest.ZERO_RANDOM);
                    String once = NetworkXml.format(def, false);
                    String twice = NetworkXml.format(NetworkXml.parse(once), false);
                    assertEquals(once, twice, () -> "not a fixed point for a mutation of " + input.getFileName() + ":\n" + mutated);
                    accepted++;
                } catch (VnetException e) {
                    refused++;
                } catch (RuntimeException e) {
                    crashes.add(input.getFileName() + ": " + e + "\n" + mutated);
                }
            }
        }
        System.out.println("robustness: " + accepted + " accepted, " + refused + " refused, " + crashes.size() + " crashed");
        assertEquals(List.of(), crashes);
        assertTrue(accepted > 0 && refused > 0);
    }

    private static String mutate(String xml, Random random) {
        switch (random.nextInt(3)) {
            case 0 -> {
                List<int[]> spans = spans(ATTR.matcher(xml));
                if (!spans.isEmpty()) {
                    int[] s = spans.get(random.nextInt(spans.size()));
                    return xml.substring(0, s[0]) + xml.substring(s[1]);
                }
            }
            case 1 -> {
                List<int[]> spans = spans(ATTR.matcher(xml));
                if (!spans.isEmpty()) {
                    int[] s = spans.get(random.nextInt(spans.size()));
                    String attr = xml.substring(s[0], s[1]);
                    char q = attr.charAt(attr.indexOf('=') + 1);
                    String replaced = attr.substring(0, attr.indexOf('=') + 2) + JUNK[random.nextInt(JUNK.length)] + q;
                    return xml.substring(0, s[0]) + replaced + xml.substring(s[1]);
                }
            }
            default -> {
                List<int[]> spans = spans(ELEMENT.matcher(xml));
                if (!spans.isEmpty()) {
                    int[] s = spans.get(random.nextInt(spans.size()));
                    return xml.substring(0, s[0]) + xml.substring(s[1]);
                }
            }
        }
        return xml;
    }

    private static List<int[]> spans(Matcher m) {
        List<int[]> out = new ArrayList<>();
        while (m.find()) {
            out.add(new int[] {m.start(), m.end()});
        }
        return out;
    }
}
