package org.vnetd.daemon.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.driver.DefinitionStore;
import org.vnetd.core.driver.NetworkStatus;
import org.vnetd.core.driver.StatusStore;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.plan.Action;
import org.vnetd.core.plan.Applied;

class StateStoreTest {
    @TempDir
    Path dir;

    @Test
    void definitionsRoundTripWithAutostartLinks() throws Exception {
        ConfigDirStore s = new ConfigDirStore(dir.resolve("networks"));
        s.save("default", "<network><name>default</name></network>");
        s.save("other", "<network><name>other</name></network>");
        s.setAutostart("default", true);
        s.flush();
        assertTrue(Files.isSymbolicLink(dir.resolve("networks/autostart/default.xml")));
        assertEquals(Path.of("../default.xml"), Files.readSymbolicLink(dir.resolve("networks/autostart/default.xml")));
        List<DefinitionStore.Stored> all = s.loadAll();
        assertEquals(2, all.size());
        assertTrue(all.get(0).autostart());
        assertFalse(all.get(1).autostart());
        s.setAutostart("default", false);
        s.delete("other");
        all = s.loadAll();
        assertEquals(1, all.size());
        assertFalse(all.get(0).autostart());
    }

    @Test
    void aStatusWriteInterruptedByACrashLeavesNoTempFileAfterTheNextLoad() throws Exception {
        StatusStore st = new RunDirStatusStore(dir.resolve("run"));
        st.save(new NetworkStatus("default", "u-1", "<network/>", true, true, List.of(), 1L));
        // named as AtomicFiles names it: the "*.json" listing of the statuses never sees such a file
        Path status;
        try (Stream<Path> files = Files.walk(dir.resolve("run"))) {
            status = files.filter(p -> p.getFileName().toString().equals("default.json")).findFirst().orElseThrow();
        }
        Path torn = status.resolveSibling(".tmp-default.json-5f3a9c21d0e4b687");
        Files.writeString(torn, "{\"name\":\"def");
        List<StatusStore.Loaded> loaded = new RunDirStatusStore(dir.resolve("run")).loadAll();
        assertEquals(1, loaded.size());
        assertEquals("default", loaded.getFirst().name());
        assertFalse(Files.exists(torn), "the interrupted write's temp file is removed at load");
    }

    @Test
    void definitionsAndStatusFilesAreOwnerOnlyWhateverTheUmask() throws Exception {
        ConfigDirStore s = new ConfigDirStore(dir.resolve("networks"));
        s.save("default", "<network><name>default</name></network>");
        s.setAutostart("default", true);
        s.flush();
        StatusStore st = new RunDirStatusStore(dir.resolve("run"));
        st.save(new NetworkStatus("default", "u-1", "<network/>", true, true, List.of(), 1L));
        assertEquals("rw-------", mode(dir.resolve("networks/default.xml")));
        assertEquals("rwx------", mode(dir.resolve("networks/autostart")));
        assertEquals("rw-------", mode(dir.resolve("run/network/default.json")));
        assertEquals("rwx------", mode(dir.resolve("run/network")));
    }

    private static String mode(Path p) throws java.io.IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void unreadableFilesAreReportedAndSetAsideNotDropped() throws Exception {
        Path nets = dir.resolve("networks");
        ConfigDirStore s = new ConfigDirStore(nets);
        s.save("good", "<network/>");
        s.flush();
        Files.write(nets.resolve("bad.xml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        Files.writeString(nets.resolve(".tmp-good.xml-123"), "partial");
        List<DefinitionStore.Stored> all = s.loadAll();
        assertEquals(2, all.size());
        DefinitionStore.Stored bad = all.get(0);
        assertEquals("bad", bad.name());
        assertNotNull(bad.problem());
        assertNull(all.get(1).problem());
        String aside = s.setAside("bad", bad.problem());
        assertTrue(Files.exists(Path.of(aside)));
        assertEquals(3, Files.readAllBytes(Path.of(aside)).length, "the bytes are kept");
        assertEquals(1, s.loadAll().size());
        assertFalse(Files.exists(nets.resolve(".tmp-good.xml-123")), "leftover temp files are removed");
    }

    @Test
    void namesAreCheckedBeforeBecomingPaths() {
        ConfigDirStore s = new ConfigDirStore(dir.resolve("networks"));
        assertThrows(VnetException.class, () -> s.save("../escape", "<network/>"));
        assertThrows(VnetException.class, () -> s.save("a/b", "<network/>"));
        assertFalse(Files.exists(dir.resolve("escape.xml")));
    }

    @Test
    void statusRoundTripsAndCorruptStatusIsSetAside() throws Exception {
        StatusStore st = new RunDirStatusStore(dir);
        NetworkStatus status = new NetworkStatus("default", "u-1", "<network/>", true, true,
                List.of(new Applied<>(new Action.CreateBridge("virbr0", true, 0, Optional.empty(), OptionalInt.empty()),
                        Map.of("created", "true"))), 123);
        st.save(status);
        Files.writeString(dir.resolve("network/broken.json"), "{\"name\":\"broken\",", StandardCharsets.UTF_8);
        List<StatusStore.Loaded> all = st.loadAll();
        assertEquals(2, all.size());
        StatusStore.Loaded ok = all.stream().filter(l -> l.name().equals("default")).findFirst().orElseThrow();
        assertEquals(status, ok.status());
        StatusStore.Loaded broken = all.stream().filter(l -> l.name().equals("broken")).findFirst().orElseThrow();
        assertNotNull(broken.problem());
        st.setAside("broken", broken.problem());
        assertEquals(1, st.loadAll().size());
        st.delete("default");
        assertEquals(0, st.loadAll().size());
    }

    @Test
    void atomicWriteReplacesWholeFiles() throws Exception {
        Path f = dir.resolve("x/f.txt");
        AtomicFiles.write(f, "one".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(f, "two".getBytes(StandardCharsets.UTF_8));
        assertEquals("two", Files.readString(f));
        try (var s = Files.list(f.getParent())) {
            assertEquals(1, s.count(), "no temp file remains");
        }
    }
}
