package org.vnetd.core.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: for each libvirt networkxml2firewalldata network, our nft script
 * ({@code firewall/NAME.nft}) and iptables rules ({@code firewall/NAME.iptables}). Regenerate with
 * {@code -Dvnetd.regenerate=true} and review the diff very carefully: a changed golden file is a
 * changed firewall.
 */
class FirewallGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/firewall");
    private static final boolean REGENERATE = Boolean.getBoolean("vnetd.regenerate");

    private final FirewallPlanner planner = new FirewallPlanner();

    static Stream<String> fixtures() {
        return FixtureNetworks.names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void nftScriptMatchesGoldenFile(String name) throws IOException {
        FirewallPlan plan = planner.plan(FixtureNetworks.load(name));
        check(name + ".nft", new NftablesRenderer().applyScript(List.of(plan)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void iptablesRulesMatchGoldenFile(String name) throws IOException {
        FirewallPlan plan = planner.plan(FixtureNetworks.load(name));
        check(name + ".iptables", new IptablesRenderer().render(plan));
    }

    private static void check(String file, String actual) throws IOException {
        Path p = GOLDEN.resolve(file);
        if (REGENERATE) {
            Files.createDirectories(GOLDEN);
            Files.writeString(p, actual);
            return;
        }
        if (!Files.exists(p)) {
            throw new AssertionError("golden file " + p.toAbsolutePath() + " is missing; run with -Dvnetd.regenerate=true");
        }
        assertEquals(Files.readString(p), actual, "differs from golden file " + file);
    }
}
