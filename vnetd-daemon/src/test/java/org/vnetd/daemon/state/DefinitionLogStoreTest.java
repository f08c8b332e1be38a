package org.vnetd.daemon.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.driver.DefinitionStore;
import org.vnetd.core.error.VnetException;

/**
 * The definitions log's crash argument (docs/architecture.md, "Definitions on disk"), one crash point at a
 * time. A store made with a compaction delay of an hour never compacts by itself, so what a test leaves
 * on disk is exactly what a kill -9 right after the reply leaves; "crash" is dropping the store without
 * {@link ConfigDirStore#close} and opening a new one on the same directory.
 */
class DefinitionLogStoreTest {
    private static final long NEVER = 3_600_000;

    @TempDir
    Path top;

    private Path dir() {
        return top.resolve("networks");
    }

    private ConfigDirStore store() {
        ConfigDirStore s = new ConfigDirStore(dir(), NEVER);
        s.loadAll();
        return s;
    }

    private static String xml(String name, String body) {
        return "<network><name>" + name + "</name>" + body + "</network>";
    }

    private static Map<String, String> loaded(ConfigDirStore s) {
        Map<String, String> m = new TreeMap<>();
        for (DefinitionStore.Stored st : s.loadAll()) {
            m.put(st.name() + (st.autostart() ? "*" : ""), st.problem() != null ? "PROBLEM " + st.problem() : st.xml());
        }
        return m;
    }

    private List<DefinitionRecord> logged() throws Exception {
        try (DefinitionLog log = DefinitionLog.open(dir())) {
            return log.replay();
        }
    }

    @Test
    void aDefinitionIsDurableInTheLogBeforeItsFileIsWritten() throws Exception {
        ConfigDirStore s = store();
        s.save("a", xml("a", "1"));
        assertFalse(Files.exists(dir().resolve("a.xml")), "the file comes later, from the compaction");
        assertEquals(1, logged().size());

        ConfigDirStore after = store(); // the crash: s never compacted
        assertEquals(Map.of("a", xml("a", "1")), loaded(after));
        assertEquals(xml("a", "1"), Files.readString(dir().resolve("a.xml")), "the start brings the file up to date");
        assertEquals(List.of(), logged(), "and empties the log");
    }

    @Test
    void undefineAndAutostartAreDurableToo() throws Exception {
        ConfigDirStore s = store();
        s.save("a", xml("a", ""));
        s.save("b", xml("b", ""));
        s.flush();
        s.setAutostart("a", true);
        s.delete("b");
        ConfigDirStore after = store();
        assertEquals(Map.of("a*", xml("a", "")), loaded(after));
        assertFalse(Files.exists(dir().resolve("b.xml")));
        assertTrue(Files.isSymbolicLink(dir().resolve("autostart/a.xml")));

        after.setAutostart("a", false);
        after.delete("a");
        after.save("a", xml("a", "again"));
        assertEquals(Map.of("a", xml("a", "again")), loaded(store()), "undefined and defined again: no autostart left over");
        assertFalse(Files.exists(dir().resolve("autostart/a.xml")));
    }

    @Test
    void aTornRecordAtTheTailIsIgnoredAndWrittenOver() throws Exception {
        ConfigDirStore s = store();
        s.save("a", xml("a", "kept"));
        s.save("b", xml("b", "torn"));
        Path log = dir().resolve(DefinitionLog.FILE);
        byte[] bytes = Files.readAllBytes(log);
        int second = indexOf(bytes, "VNDR", indexOf(bytes, "VNDR", 0) + 1);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(20), second + 20); // b's record lost its last part: never acknowledged
        }
        ConfigDirStore after = new ConfigDirStore(dir(), NEVER);
        // the compaction at start must not run for this check: a direct replay first
        assertEquals(List.of("a"), logged().stream().map(DefinitionRecord::name).toList());
        assertEquals(Map.of("a", xml("a", "kept")), loaded(after));
        after.save("c", xml("c", ""));
        assertEquals(Map.of("a", xml("a", "kept"), "c", xml("c", "")), loaded(store()));
    }

    @Test
    void aRecordHeadWithoutItsPayloadIsIgnored() throws Exception {
        ConfigDirStore s = store();
        s.save("a", xml("a", "kept"));
        s.save("b", xml("b", "torn"));
        Path log = dir().resolve(DefinitionLog.FILE);
        byte[] bytes = Files.readAllBytes(log);
        int second = indexOf(bytes, "VNDR", indexOf(bytes, "VNDR", 0) + 1);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(200), second + DefinitionLog.RECORD_HEAD);
        }
        assertEquals(Map.of("a", xml("a", "kept")), loaded(store()));
    }

    @Test
    void recordsOfAnEmptiedGenerationAreNeverReplayed() throws Exception {
        ConfigDirStore s = store();
        s.save("zz", xml("zz", "0123456789")); // same length as xx's second version below
        s.save("xx", xml("xx", "old"));
        s.flush(); // files written, log emptied: the two records stay in the file, of the old generation
        s.save("xx", xml("xx", "newversion")); // written exactly over zz's record; xx's old one follows it
        assertEquals(List.of(xml("xx", "newversion")), logged().stream().map(r -> new String(r.xml())).toList());
        assertEquals(Map.of("xx", xml("xx", "newversion"), "zz", xml("zz", "0123456789")), loaded(store()));
    }

    @Test
    void aCrashAnywhereInTheCompactionLeavesTheLatestVersion() throws Exception {
        ConfigDirStore s = store();
        s.save("a", xml("a", "v1"));
        s.flush();
        s.save("a", xml("a", "v2"));
        // 1. the compaction's temp file written, not renamed
        Files.writeString(dir().resolve(".tmp-a.xml-1234"), xml("a", "v2"));
        assertEquals(Map.of("a", xml("a", "v2")), loaded(store()));
        assertFalse(Files.exists(dir().resolve(".tmp-a.xml-1234")));

        // 2. renamed into place, the log not yet emptied
        ConfigDirStore t = store();
        t.save("a", xml("a", "v3"));
        Files.writeString(dir().resolve("a.xml"), xml("a", "v3"));
        assertEquals(Map.of("a", xml("a", "v3")), loaded(store()));

        // 3. the reset's header write torn: every record was in the files; the log is set aside and made again
        ConfigDirStore u = store();
        u.save("a", xml("a", "v4"));
        u.flush();
        try (FileChannel ch = FileChannel.open(dir().resolve(DefinitionLog.FILE), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 9);
        }
        ConfigDirStore v = store();
        assertEquals(Map.of("a", xml("a", "v4")), loaded(v));
        try (Stream<Path> files = Files.list(dir())) {
            assertEquals(1, files.filter(p -> p.getFileName().toString().startsWith(DefinitionLog.FILE + ".corrupt-")).count());
        }
        v.save("b", xml("b", ""));
        assertEquals(Map.of("a", xml("a", "v4"), "b", xml("b", "")), loaded(store()), "the new log works");
    }

    @Test
    void aFileEditedByHandAfterVnetdsLastWriteWins() throws Exception {
        ConfigDirStore s = store();
        s.save("a", xml("a", "v1"));
        s.save("b", xml("b", "v1"));
        s.flush();
        s.save("a", xml("a", "v2"));
        s.save("b", xml("b", "v2"));
        Files.writeString(dir().resolve("a.xml"), xml("a", "by hand")); // vnetd died before its compaction
        assertEquals(Map.of("a", xml("a", "by hand"), "b", xml("b", "v2")), loaded(store()));
        assertEquals(xml("a", "by hand"), Files.readString(dir().resolve("a.xml")));
        assertEquals(List.of(), logged());
    }

    @Test
    void aCompactionThatFailsKeepsEveryDefinitionInTheLog() throws Exception {
        ConfigDirStore s = store();
        Files.createDirectories(dir().resolve("a.xml")); // a rename over it fails
        s.save("a", xml("a", "kept"));
        s.save("b", xml("b", ""));
        assertThrows(VnetException.class, s::flush);
        assertEquals(2, logged().size(), "nothing is dropped from the log while a file cannot be written");
        assertEquals(Map.of("a", xml("a", "kept"), "b", xml("b", "")), loaded(store()), "a start with the same failure still has it");
        Files.delete(dir().resolve("a.xml"));
        ConfigDirStore after = store();
        assertEquals(xml("a", "kept"), Files.readString(dir().resolve("a.xml")));
        assertEquals(List.of(), logged());
        after.close();
    }

    @Test
    void withoutALogTheFilesStillLoadAndChangesAreRefused() throws Exception {
        Files.createDirectories(dir());
        Files.writeString(dir().resolve("a.xml"), xml("a", ""));
        Files.createDirectories(dir().resolve(DefinitionLog.FILE)); // as a full disk at the first start: no log can be made
        ConfigDirStore s = store();
        assertEquals(Map.of("a", xml("a", "")), loaded(s));
        VnetException e = assertThrows(VnetException.class, () -> s.save("b", xml("b", "")));
        assertTrue(e.getMessage().startsWith("cannot write " + dir().resolve("b.xml")), e.getMessage());
        assertThrows(VnetException.class, () -> s.delete("a"));
        Files.delete(dir().resolve(DefinitionLog.FILE));
        s.save("b", xml("b", ""));
        assertEquals(Map.of("a", xml("a", ""), "b", xml("b", "")), loaded(store()));
    }

    @Test
    void theCompactionRunsByItselfAndCloseFinishesIt() throws Exception {
        ConfigDirStore s = new ConfigDirStore(dir(), 1);
        s.loadAll();
        s.save("a", xml("a", ""));
        org.vnetd.testing.Await.until(java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(5), "a.xml written",
                () -> Files.exists(dir().resolve("a.xml")));
        org.vnetd.testing.Await.until(java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(5), "the log emptied",
                () -> logged().isEmpty());
        ConfigDirStore t = new ConfigDirStore(dir(), NEVER);
        t.loadAll();
        t.save("b", xml("b", ""));
        t.close();
        assertTrue(Files.exists(dir().resolve("b.xml")));
        assertThrows(VnetException.class, () -> t.save("c", xml("c", "")));
        s.close();
    }

    @Test
    void manyDefinitionsGrowTheLogPastItsFirstExtent() throws Exception {
        ConfigDirStore s = store();
        String body = "x".repeat(4000);
        for (int i = 0; i < 40; i++) { // 160 KB of records: more than FIRST_EXTENT
            s.save("n" + i, xml("n" + i, body));
        }
        assertTrue(Files.size(dir().resolve(DefinitionLog.FILE)) > DefinitionLog.HEADER + DefinitionLog.FIRST_EXTENT);
        assertEquals(40, loaded(store()).size());
    }

    private static int indexOf(byte[] hay, String needle, int from) {
        byte[] n = needle.getBytes();
        outer:
        for (int i = from; i <= hay.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (hay[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(needle + " not found after " + from);
    }
}
