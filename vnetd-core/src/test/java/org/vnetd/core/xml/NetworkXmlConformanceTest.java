package org.vnetd.core.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.testing.Conformance;

/**
 * libvirt's networkxml2xmltest over ../shared/conformance: every NAME.xml with a NAME.expect.xml
 * must parse, validate and format to exactly the expected bytes; the inputs libvirt rejects must be
 * rejected at the same stage.
 */
class NetworkXmlConformanceTest {
    /** Inputs formatted with VIR_NETWORK_XML_INACTIVE upstream. */
    private static final Set<String> INACTIVE = Set.of("hostdev-pf", "hostdev-pf-driver-model");
    /** Expected failures from SOURCE.md: name → stage. */
    private static final Map<String, ErrorCode> FAILURES = Map.of(
            "routed-network-no-dns-extra-elements", ErrorCode.XML_PARSE,
            "open-network-with-forward-dev", ErrorCode.XML_PARSE,
            "hostdev-duplicate", ErrorCode.XML_PARSE,
            "passthrough-duplicate", ErrorCode.XML_PARSE,
            "passthrough-pf", ErrorCode.XML_VALIDATION,
            "passthrough-address-crash", ErrorCode.XML_VALIDATION);

    /** libvirt's test mocks virrandom so a generated bridge MAC is 52:54:00:00:00:00. */
    static final RandomGenerator ZERO_RANDOM = new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }
    };

    @Test
    void everyFixtureRoundTripsOrFailsAsLibvirtDoes() throws IOException {
        Path dir = Conformance.libvirtTests("networkxmlconfdata");
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".xml") && !n.endsWith(".expect.xml"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
        int passed = 0;
        List<String> failed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String name : names) {
            Path expect = dir.resolve(name + ".expect.xml");
            ErrorCode expectedFailure = FAILURES.get(name);
            if (expectedFailure == null && !Files.exists(expect)) {
                skipped.add(name); // expected output not recoverable upstream (see SOURCE.md)
                continue;
            }
            String input = Files.readString(dir.resolve(name + ".xml"), StandardCharsets.UTF_8);
            String problem = expectedFailure != null ? checkRejected(input, expectedFailure)
                    : checkRoundTrip(input, readFixture(expect), INACTIVE.contains(name));
            if (problem == null) {
                passed++;
            } else {
                failed.add(name + ": " + problem);
            }
        }
        System.out.println("networkxmlconfdata: " + passed + " passed, " + failed.size() + " failed");
        failed.forEach(f -> System.out.println("  FAILED " + f));
        skipped.forEach(s -> System.out.println("  skipped (no " + s + ".expect.xml): " + s));
        assertTrue(passed > 0, "no fixtures found in " + dir);
        assertEquals(List.of(), failed);
    }

    /**
     * Reads a fixture. Upstream stores some expected files as git symlinks to the input; where the
     * copy holds the link text (a bare file name) instead of a link, follow it by hand.
     */
    static String readFixture(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String target = text.strip();
        if (!text.startsWith("<") && !target.contains("\n") && target.endsWith(".xml")) {
            Path linked = file.resolveSibling(target);
            if (Files.isRegularFile(linked)) {
                return Files.readString(linked, StandardCharsets.UTF_8);
            }
        }
        return text;
    }

    private static String checkRoundTrip(String input, String expected, boolean inactive) {
        try {
            NetworkDef def = NetworkXml.parse(input);
            NetworkXml.validate(def, ZERO_RANDOM);
            String actual = NetworkXml.format(def, inactive);
            if (actual.equals(expected)) {
                return null;
            }
            return "output differs:\n--- expected\n" + expected + "--- actual\n" + actual;
        } catch (VnetException e) {
            return "unexpected " + e.code() + ": " + e.getMessage();
        }
    }

    private static String checkRejected(String input, ErrorCode stage) {
        NetworkDef def;
        try {
            def = NetworkXml.parse(input);
        } catch (VnetException e) {
            return stage == ErrorCode.XML_PARSE ? null : "rejected while parsing (" + e.getMessage() + "), expected at validation";
        }
        if (stage == ErrorCode.XML_PARSE) {
            return "parsed although libvirt's parser rejects it";
        }
        try {
            NetworkXml.validate(def, ZERO_RANDOM);
            return "validated although libvirt rejects it";
        } catch (VnetException e) {
            return e.code() == ErrorCode.XML_VALIDATION ? null : "wrong error code " + e.code();
        }
    }
}
