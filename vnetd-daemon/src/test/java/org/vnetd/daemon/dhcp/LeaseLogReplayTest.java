package org.vnetd.daemon.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log's preallocated zero tail is cut wherever it starts, whatever its length, and never a byte of a record. */
class LeaseLogReplayTest {
    @Test
    void theZeroTailIsCutAtItsFirstZeroForEveryLength() {
        for (int data : new int[] {0, 1, 15, 16, 17, 255, 4095, 4096, 4097, 70_000}) {
            for (int zeros : new int[] {0, 1, 15, 16, 17, 256, 4095, 4096, 4097, 65_536, 70_001}) {
                byte[] b = new byte[data + zeros];
                Arrays.fill(b, 0, data, (byte) 'x');
                assertEquals(data, LeaseLogReplay.withoutZeroTail(b), data + " bytes of data, " + zeros + " zeros");
            }
        }
        byte[] inner = new byte[9000];
        inner[0] = 'a';
        inner[4500] = 'b'; // zeros inside the data stay: only the tail is preallocated space
        assertEquals(4501, LeaseLogReplay.withoutZeroTail(inner));
    }

    @Test
    void recordsBeforeAPreallocatedTailAreReplayedAndATornOneIsSkipped(@TempDir Path dir) throws Exception {
        Path wal = dir.resolve("virbr0.wal");
        byte[] text = "{\"a\":1}\n{\"b\"\0\0}\n{\"c\":3}\n".getBytes(StandardCharsets.UTF_8);
        byte[] file = Arrays.copyOf(text, text.length + 65_536);
        Files.write(wal, file);
        List<String> lines = new ArrayList<>();
        LeaseLogReplay r = LeaseLogReplay.of(wal, lines::add);
        assertEquals(List.of("{\"a\":1}", "{\"c\":3}"), lines);
        assertEquals(2, r.records());
    }
}
