package org.vnetd.daemon.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * Every golden nft script (vnetd-core's firewall/*.nft, one per libvirt fixture network) is
 * accepted by the real kernel, and loading it twice gives the same table (one copy of each rule).
 */
class GoldenScriptsKernelTest {
    private static final Path GOLDEN = Path.of("../vnetd-core/src/test/resources/firewall");

    @Test
    void everyGoldenScriptLoadsAndIsIdempotent() throws IOException {
        NetnsSupport.require("nft");
        List<Path> scripts;
        try (Stream<Path> s = Files.list(GOLDEN)) {
            scripts = s.filter(p -> p.toString().endsWith(".nft")).sorted().toList();
        }
        assertTrue(scripts.size() >= 11, "golden scripts missing in " + GOLDEN.toAbsolutePath());
        try (TestNetns ns = TestNetns.create("fwgolden")) {
            for (Path script : scripts) {
                String text = Files.readString(script);
                load(ns, script, text);
                String once = ns.execOk("nft", "list", "table", "inet", "vnetd");
                load(ns, script, text);
                assertEquals(once, ns.execOk("nft", "list", "table", "inet", "vnetd"), script.getFileName().toString());
                ns.execOk("nft", "delete", "table", "inet", "vnetd");
            }
        }
    }

    private static void load(TestNetns ns, Path script, String text) {
        Exec.Result r = ns.execWithInput(text, "nft", "-f", "-");
        assertTrue(r.ok(), script.getFileName() + " rejected: " + r.stderr());
    }
}
