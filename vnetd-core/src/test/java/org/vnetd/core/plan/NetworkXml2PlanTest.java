package org.vnetd.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.pool.ForwardPool;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.model.BridgeDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.testing.Conformance;

/**
 * Golden files, as libvirt's networkxml2firewalltest: for each networkxml2firewalldata network, the
 * start plan as text, one action per line ({@code networkxml2plan/NAME.plan}). A changed plan fails
 * with the lines that differ. Regenerate with {@code -Dvnetd.regenerate=true} and review the diff
 * very carefully: a changed golden file is a changed network start.
 */
class NetworkXml2PlanTest {
    static final Path FIXTURES = Conformance.libvirtTests("networkxml2firewalldata");
    /** libvirt's networkxml2xml fixtures: the input of every one libvirt accepts (it has an .expect.xml). */
    static final Path CONF_FIXTURES = Conformance.libvirtTests("networkxmlconfdata");
    private static final Path GOLDEN = Path.of("src/test/resources/networkxml2plan");
    private static final boolean REGENERATE = Boolean.getBoolean("vnetd.regenerate");

    static Stream<String> fixtures() {
        return names().stream();
    }

    static List<String> names() {
        try (Stream<Path> s = Files.list(FIXTURES)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NetworkDef load(String name) {
        try {
            return NetworkXml.parse(Files.readString(FIXTURES.resolve(name + ".xml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<String> confFixtures() {
        try (Stream<Path> s = Files.list(CONF_FIXTURES)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".expect.xml"))
                    .map(n -> n.substring(0, n.length() - ".expect.xml".length())).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void planMatchesGoldenFile(String name) throws IOException {
        check(GOLDEN.resolve(name + ".plan"), name, new NetworkPlanner().plan(load(name)).text());
    }

    /**
     * The same for libvirt's networkxml2xml fixtures (modes, routes, MTU, MAC, TFTP, DNS off…). A
     * virtual network without a bridge name gets {@code virbr0}, as the driver names the first one;
     * a network vnetd refuses to plan shows its error as the one line.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("confFixtures")
    void planOfEveryNetworkxml2xmlFixtureMatchesGoldenFile(String name) throws IOException {
        String text;
        try {
            NetworkDef def = loadConf(name);
            Plan plan = new NetworkPlanner().plan(def);
            text = plan.actions().isEmpty() ? "(no actions: the network uses the host's devices)\n" : plan.text();
            if (ForwardPool.usesPool(def)) {
                text += ForwardPool.declared(def).describe() + "\n";
            }
        } catch (VnetException e) {
            text = "refused: " + e.code() + ": " + e.getMessage() + "\n";
        }
        check(GOLDEN.resolve("networkxmlconfdata").resolve(name + ".plan"), name, text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("confFixtures")
    void recordedActionsOfEveryNetworkxml2xmlFixtureSurviveTheStatusFile(String name) throws IOException {
        Plan plan;
        try {
            plan = new NetworkPlanner().plan(loadConf(name));
        } catch (VnetException e) {
            return; // refused: nothing is ever recorded (the golden file shows the refusal)
        }
        assertRoundTrips(plan);
    }

    private static NetworkDef loadConf(String name) throws IOException {
        NetworkDef def = NetworkXml.parse(Files.readString(CONF_FIXTURES.resolve(name + ".xml")));
        if (def.forwardMode().hasBridge() && def.bridgeName().isEmpty()) {
            BridgeDef b = def.getBridge() != null ? def.getBridge() : new BridgeDef();
            b.setName("virbr0");
            def.setBridge(b);
        }
        return def;
    }

    private static void check(Path file, String name, String actual) throws IOException {
        if (REGENERATE) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual);
            return;
        }
        if (!Files.exists(file)) {
            throw new AssertionError("golden file " + file.toAbsolutePath() + " is missing; run with -Dvnetd.regenerate=true");
        }
        List<String> diff = PlanDiff.lines(Files.readString(file), actual);
        if (!diff.isEmpty()) {
            fail("the plan of " + name + " differs from " + file + " (- golden, + now):\n" + String.join("\n", diff));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void recordedActionsSurviveTheStatusFile(String name) throws IOException {
        Plan plan = new NetworkPlanner().plan(load(name));
        assertFalse(plan.actions().isEmpty());
        assertRoundTrips(plan);
    }

    private static void assertRoundTrips(Plan plan) throws IOException {
        List<Applied<Action>> applied = new ArrayList<>();
        plan.actions().forEach(a -> applied.add(new Applied<>(a, java.util.Map.of("k", "v"))));
        var type = PlanJson.MAPPER.getTypeFactory().constructCollectionType(List.class,
                PlanJson.MAPPER.getTypeFactory().constructParametricType(Applied.class, Action.class));
        List<Applied<Action>> back = PlanJson.MAPPER.readValue(PlanJson.MAPPER.writerFor(type).writeValueAsBytes(applied), type);
        assertEquals(applied, back);
    }
}
