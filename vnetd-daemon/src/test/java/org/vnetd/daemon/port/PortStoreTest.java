package org.vnetd.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.rpc.RpcCodec;

class PortStoreTest {
    @TempDir
    Path dir;

    private static PortRecord port(int i) {
        return new PortRecord("00000000-0000-4000-8000-" + String.format("%012d", i), "default", "net-uuid", "vnet" + i,
                "fe:54:00:00:00:01", "52:54:00:00:00:01", "virbr0", "network", 1000, null, false, false, 1, false, null, null, false,
                null, List.of(), "<networkport/>", 100 + i);
    }

    @Test
    void portsSurviveARestartAndDeletedOnesStayDeleted() {
        try (PortStore s = new PortStore(dir)) {
            assertEquals(List.of(), s.load());
            s.save(port(1));
            s.save(port(2));
            s.save(port(3));
            s.delete(port(2).uuid());
        } // a killed daemon closes nothing either: every change is one write() already made
        try (PortStore s = new PortStore(dir)) {
            assertEquals(List.of(port(1), port(3)), s.load());
        }
    }

    @Test
    void theLogAndItsDirectoryAreOwnerOnlyWhateverTheUmask() throws Exception {
        Path ports = dir.resolve("ports");
        try (PortStore s = new PortStore(ports)) {
            s.save(port(1));
        }
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(ports)));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(ports.resolve(PortStore.LOG_NAME))));
    }

    @Test
    void aTornLineIsSkippedReportedAndKept() throws Exception {
        try (PortStore s = new PortStore(dir)) {
            s.load();
            s.save(port(1));
            s.save(port(2));
        }
        Files.writeString(dir.resolve(PortStore.LOG_NAME), "{\"op\":\"put\",\"port\":{\"uuid\":\"00", StandardOpenOption.APPEND);
        try (PortStore s = new PortStore(dir)) {
            assertEquals(List.of(port(1), port(2)), s.load());
        }
        String bad = Files.readString(dir.resolve(PortStore.LOG_NAME + ".bad"));
        assertTrue(bad.endsWith("{\"op\":\"put\",\"port\":{\"uuid\":\"00"), "the damaged log is kept as found: " + bad);
        assertEquals(2, Files.readAllLines(dir.resolve(PortStore.LOG_NAME)).size(), "rewritten with the two good ports");
    }

    @Test
    void portFilesOfAnOlderDaemonAreFoldedIntoTheLog() throws Exception {
        Files.write(dir.resolve(port(7).uuid() + ".json"), RpcCodec.MAPPER.writeValueAsBytes(port(7)));
        Files.writeString(dir.resolve("broken.json"), "{", StandardCharsets.UTF_8);
        try (PortStore s = new PortStore(dir)) {
            assertEquals(List.of(port(7)), s.load());
        }
        assertFalse(Files.exists(dir.resolve(port(7).uuid() + ".json")));
        assertTrue(Files.exists(dir.resolve("broken.json.bad")));
        try (PortStore s = new PortStore(dir)) {
            assertEquals(List.of(port(7)), s.load());
        }
    }

    @Test
    void theLogIsRewrittenWhenMostlyDeletedPorts() throws Exception {
        try (PortStore s = new PortStore(dir)) {
            s.load();
            s.save(port(0));
            for (int i = 1; i <= PortStore.COMPACT_SLACK; i++) {
                s.save(port(i));
                s.delete(port(i).uuid());
            }
            long lines = Files.readAllLines(dir.resolve(PortStore.LOG_NAME)).size();
            assertTrue(lines < PortStore.COMPACT_SLACK, "rewritten: " + lines + " lines");
            s.save(port(5000));
        }
        try (PortStore s = new PortStore(dir)) {
            assertEquals(List.of(port(0), port(5000)), s.load());
        }
    }
}
