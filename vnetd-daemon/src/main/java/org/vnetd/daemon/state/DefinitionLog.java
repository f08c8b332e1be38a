package org.vnetd.daemon.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The definitions log, {@code DIR/.definitions.log}: the change a define, undefine or autostart makes is
 * durable once its record is, with one fdatasync. The file is preallocated (zeros written and synced
 * ahead of the records), so a record overwrites allocated, already-written blocks and its fdatasync
 * flushes data only: no journal commit for a new file, a size or a rename, which is what libvirt's
 * temp-file-fsync-rename pays once and a synced directory twice.
 *
 * <p>Layout: a header block ({@code "VNDL"}, version, generation, CRC-32C of those) and from offset
 * {@link #HEADER} the records, each {@code "VNDR"}, payload length, CRC-32C of the payload, payload
 * ({@link DefinitionRecord#encode}, generation first). Replay reads records of the header's generation
 * up to the first that is not one: zeros, a torn write (length or CRC wrong) or a stale record of an
 * earlier generation. {@link #reset} empties the log by raising the generation in the header (one
 * sector, one fdatasync) once every record is in the files. A header that does not check out was torn by
 * such a reset, whose records were all in the files already: the log is set aside (bytes kept) and made
 * again. Not thread-safe: {@link ConfigDirStore} holds its lock around every call.
 */
final class DefinitionLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigDirStore.class);
    static final String FILE = ".definitions.log";
    static final int HEADER = 4096;
    /** Zeros ahead of the records at creation: some 60 definitions of 1 KiB between two compactions. */
    static final int FIRST_EXTENT = 64 << 10;
    static final int RECORD_HEAD = 12;
    /** Larger than any record (a definition is at most {@link ConfigDirStore#MAX_FILE}). */
    static final int MAX_PAYLOAD = (int) ConfigDirStore.MAX_FILE + 1024;
    private static final int HEADER_MAGIC = 0x564e444c; // "VNDL"
    private static final int RECORD_MAGIC = 0x564e4452; // "VNDR"
    private static final int VERSION = 1;

    private final Path path;
    private FileChannel ch;
    private long generation;
    private long writePos = HEADER;
    private long allocated;
    private int records;
    /** A reset's header write failed: the next append writes it first (its records carry the new generation). */
    private boolean headerBehind;

    private DefinitionLog(Path path) {
        this.path = path;
    }

    /** Opens the log in {@code dir}, making it (durably, preallocated) if there is none or its header is torn. */
    static DefinitionLog open(Path dir) throws IOException {
        DefinitionLog log = new DefinitionLog(dir.resolve(FILE));
        log.ch = FileChannel.open(log.path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                FileModes.privateFile());
        boolean making = false;
        try {
            if (!log.readHeader()) {
                log.setAsideTorn();
                making = true;
                log.remake(dir);
            }
        } catch (IOException | RuntimeException e) {
            log.ch.close();
            if (making) {
                Files.deleteIfExists(log.path); // zeros and perhaps a header: nothing stored in it
            }
            throw e;
        }
        return log;
    }

    /** Whether {@code dir}'s log is a file that may hold records: one that cannot be opened then stops the start. */
    static boolean mayHoldRecords(Path dir) throws IOException {
        Path p = dir.resolve(FILE);
        return Files.isRegularFile(p) && Files.size(p) > 0;
    }

    Path path() {
        return path;
    }

    /** Records written since the last reset, as far as this process knows. */
    int records() {
        return records;
    }

    private boolean readHeader() throws IOException {
        ByteBuffer h = ByteBuffer.allocate(20);
        if (ch.read(h, 0) < 20) {
            return ch.size() == 0 ? false : torn("shorter than its header");
        }
        h.flip();
        if (h.getInt(0) != HEADER_MAGIC || h.getInt(4) != VERSION || h.getInt(16) != crc(h, 0, 16)) {
            return torn("its header does not check out");
        }
        generation = h.getLong(8);
        allocated = ch.size();
        return true;
    }

    private boolean torn(String why) {
        LOG.warn("definitions log {}: {}; a reset was interrupted, after which every record is in the files", path, why);
        return false;
    }

    /** A log whose header does not check out is kept, renamed, before a fresh one is made. */
    private void setAsideTorn() throws IOException {
        if (ch.size() > 0) {
            ch.close();
            Path aside = AtomicFiles.setAside(path);
            LOG.warn("definitions log set aside as {}", aside);
            ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    FileModes.privateFile());
        }
    }

    /** A fresh log: header and zeros written and synced, and the directory. */
    private void remake(Path dir) throws IOException {
        generation = 1;
        writeFully(ByteBuffer.allocate(FIRST_EXTENT), HEADER);
        writeHeader();
        ch.force(true);
        allocated = ch.size();
        AtomicFiles.syncDirectory(dir);
    }

    private void writeHeader() throws IOException {
        ByteBuffer h = ByteBuffer.allocate(20);
        h.putInt(HEADER_MAGIC).putInt(VERSION).putLong(generation);
        h.putInt(crc(h, 0, 16));
        h.flip();
        writeFully(h, 0);
    }

    /**
     * Reads the records of the current generation. The next record goes after the last whole one; a torn
     * one after it is zeroed first (its blocks are allocated: no space needed), so that no part of it is
     * read back after a shorter record.
     */
    List<DefinitionRecord> replay() throws IOException {
        List<DefinitionRecord> out = new ArrayList<>();
        long pos = HEADER;
        long size = ch.size();
        ByteBuffer head = ByteBuffer.allocate(RECORD_HEAD);
        long tornEnd = pos;
        while (pos + RECORD_HEAD <= size) {
            head.clear();
            readFully(head, pos);
            int magic = head.getInt(0);
            int length = head.getInt(4);
            if (magic != RECORD_MAGIC) {
                tornEnd = magic == 0 ? pos : pos + RECORD_HEAD;
                break;
            }
            if (length < 8 || length > MAX_PAYLOAD || pos + RECORD_HEAD + length > size) {
                tornEnd = Math.min(size, pos + RECORD_HEAD + Math.max(0, Math.min(length, MAX_PAYLOAD)));
                LOG.warn("definitions log {}: a torn record at {} is ignored", path, pos);
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(payload, pos + RECORD_HEAD);
            payload.flip();
            if (crc(payload, 0, length) != head.getInt(8)) {
                tornEnd = pos + RECORD_HEAD + length;
                LOG.warn("definitions log {}: a torn record at {} is ignored (CRC)", path, pos);
                break;
            }
            if (DefinitionRecord.generationOf(payload) != generation) {
                tornEnd = pos; // a record of an earlier generation: already in the files
                break;
            }
            out.add(DefinitionRecord.decode(payload));
            pos += RECORD_HEAD + length;
            tornEnd = pos;
        }
        writePos = pos;
        records = out.size();
        if (tornEnd > pos) {
            writeFully(ByteBuffer.allocate((int) (tornEnd - pos)), pos);
            ch.force(false);
        }
        return out;
    }

    /** Writes {@code r} after the last record and fdatasyncs; on failure nothing of it is read back. */
    void append(DefinitionRecord r) throws IOException {
        byte[] payload = r.encode(generation);
        ByteBuffer b = ByteBuffer.allocate(RECORD_HEAD + payload.length);
        b.putInt(RECORD_MAGIC).putInt(payload.length).putInt(crc(ByteBuffer.wrap(payload), 0, payload.length)).put(payload);
        b.flip();
        int n = b.remaining();
        if (headerBehind) {
            syncHeader();
        }
        if (writePos + n > allocated) {
            extend(writePos + n);
        }
        try {
            writeFully(b, writePos);
            ch.force(false); // fdatasync: inside the preallocated zeros this flushes data blocks only
        } catch (IOException e) {
            erase(writePos, n);
            throw e;
        }
        writePos += n;
        records++;
    }

    /** More zeros, written and synced (a size change: the slow kind of sync, once per doubling). */
    private void extend(long needed) throws IOException {
        long target = Math.max(needed, Math.min(allocated * 2, allocated + (1 << 20)));
        target = (target + 4095) & ~4095L;
        try {
            writeFully(ByteBuffer.allocate((int) (target - allocated)), allocated);
            ch.force(true);
            allocated = target;
        } catch (IOException e) {
            try {
                ch.truncate(allocated);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /** Best effort after a failed append: zero what may have reached the file (allocated blocks: no space needed). */
    private void erase(long from, int length) {
        try {
            long to = Math.min(from + length, allocated);
            if (to > from) {
                writeFully(ByteBuffer.allocate((int) (to - from)), from);
                ch.force(false);
            }
        } catch (IOException e) {
            LOG.warn("definitions log {}: cannot erase a failed write at {}: {}", path, from, e.toString());
        }
    }

    /**
     * Empties the log: called once every record is in the files, durably. If the header cannot be
     * written, the next append writes it before its record: until then the disk holds the old
     * generation, whose records are all in the files, so replaying them changes nothing.
     */
    void reset() throws IOException {
        generation++;
        writePos = HEADER;
        records = 0;
        headerBehind = true;
        syncHeader();
    }

    private void syncHeader() throws IOException {
        writeHeader();
        ch.force(false);
        headerBehind = false;
    }

    private void writeFully(ByteBuffer buf, long at) throws IOException {
        long pos = at;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    private void readFully(ByteBuffer buf, long at) throws IOException {
        long pos = at;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of " + path + " at " + pos);
            }
            pos += n;
        }
    }

    private static int crc(ByteBuffer b, int from, int length) {
        CRC32C c = new CRC32C();
        c.update(b.duplicate().position(from).limit(from + length));
        return (int) c.getValue();
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
