package org.vnetd.daemon.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.driver.DefinitionStore;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * Persistent definitions: libvirt's files ({@code DIR/NAME.xml}, {@code DIR/autostart/NAME.xml} links,
 * {@link DefinitionFiles}) are the truth at rest, and every change is first made durable as one record
 * of the definitions log ({@link DefinitionLog}, one fdatasync) before the caller replies. A compaction
 * on a background thread then writes the files (temp file, fsync, rename; the directory synced once for
 * the batch) and, once they hold every record, empties the log. The crash argument is in
 * docs/architecture.md ("Definitions on disk").
 *
 * <p>At start ({@link #loadAll}) the log is replayed over the files, the files brought up to date and the
 * log emptied. A file edited by hand while vnetd was down is kept: a record applies only if its file
 * still holds a version the log knows (what it held before a record, or what a record wrote), so a
 * file that is neither was changed by someone else after vnetd's last write, and that edit wins (logged).
 */
public final class ConfigDirStore implements DefinitionStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigDirStore.class);
    /** Definitions larger than this are not read (a libvirt network XML is a few KiB). */
    static final long MAX_FILE = 4L * 1024 * 1024;
    /**
     * A compaction waits this long after the first record it will take, so that a burst of defines shares
     * one directory sync, and the sync does not queue behind (or ahead of) the next define's fdatasync.
     */
    static final long COMPACT_DELAY_MILLIS = 100;
    private static final long MAX_RETRY_MILLIS = 60_000;
    /** Room a definition file needs beyond its bytes: a temp file's block and a directory entry. */
    private static final long SPACE_MARGIN = 16 << 10;

    private final Path dir;
    private final DefinitionFiles files;
    private final long compactDelayMillis;
    /** Held by the one compaction at a time (and by load and close); taken before {@code this}. */
    private final Object compactions = new Object();

    // guarded by this
    private DefinitionLog log;
    private FileStore fileStore;
    private final Map<String, StoredDefinition> current = new HashMap<>();
    /** What each file holds, as last read or written by this store. */
    private final Map<String, Fingerprint> onDisk = new HashMap<>();
    /** Names whose files lag behind {@link #current}. */
    private final TreeSet<String> dirty = new TreeSet<>();
    private long appended;
    private ScheduledExecutorService compactor;
    private ScheduledFuture<?> scheduled;
    private long retryMillis;
    private boolean closed;
    private boolean loadedOnce;

    public ConfigDirStore(Path dir) {
        this(dir, COMPACT_DELAY_MILLIS);
    }

    ConfigDirStore(Path dir, long compactDelayMillis) {
        this.dir = dir;
        this.files = new DefinitionFiles(dir);
        this.compactDelayMillis = compactDelayMillis;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public List<Stored> loadAll() {
        synchronized (compactions) {
            synchronized (this) {
                try {
                    return load();
                } catch (IOException e) {
                    throw new VnetException(ErrorCode.STATE_IO, "cannot read the definitions in " + dir + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private List<Stored> load() throws IOException {
        FileModes.directory(dir, FileModes.PRIVATE_DIR);
        if (fileStore == null) {
            fileStore = Files.getFileStore(dir);
        }
        if (log == null) {
            try {
                log = DefinitionLog.open(dir);
            } catch (IOException e) {
                if (DefinitionLog.mayHoldRecords(dir)) {
                    throw e;
                }
                // no log to replay (a first start on a full disk): the files are all there is
                LOG.warn("cannot make the definitions log in {}: {}; definitions are read from the files, and changes are"
                        + " refused until it can be made", dir, e.getMessage());
            }
        }
        Map<String, DefinitionFiles.Found> found = files.readAll();
        DefinitionReplay.Result replayed = DefinitionReplay.over(found, log == null ? List.of() : log.replay(), files);
        current.clear();
        onDisk.clear();
        dirty.clear();
        found.forEach((name, f) -> onDisk.put(name, f.fingerprint()));
        current.putAll(replayed.current());
        dirty.addAll(replayed.stale());
        Map<String, Stored> out = new TreeMap<>(replayed.problems());
        files.removeTempLeftovers();
        try {
            compact();
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot bring the definition files in {} up to date: {}; the definitions stay in the definitions log and"
                    + " it is tried again later", dir, e.getMessage());
            scheduleLocked(compactDelayMillis);
        }
        current.forEach((name, d) -> out.put(name, new Stored(name, new String(d.xml(), StandardCharsets.UTF_8), d.autostart(), null)));
        loadedOnce = true;
        return new ArrayList<>(out.values());
    }

    @Override
    public void save(String name, String xml) {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        Path file = files.file(name);
        loaded();
        synchronized (this) {
            checkSpace(file, bytes.length);
            StoredDefinition old = current.get(name);
            boolean autostart = old != null && old.autostart();
            change(name, new StoredDefinition(bytes, autostart), "cannot write " + file);
        }
    }

    @Override
    public void delete(String name) {
        files.file(name);
        loaded();
        synchronized (this) {
            change(name, null, "cannot delete the definition of '" + name + "' in " + dir);
        }
    }

    @Override
    public void setAutostart(String name, boolean autostart) {
        Path link = files.link(name);
        loaded();
        synchronized (this) {
            StoredDefinition d = current.get(name);
            if (d == null) {
                throw new VnetException(ErrorCode.NO_SUCH_NETWORK, "no stored definition of '" + name + "' to set autostart of");
            }
            if (d.autostart() != autostart) {
                change(name, new StoredDefinition(d.xml(), autostart), "cannot " + (autostart ? "create " : "remove ") + link);
            }
        }
    }

    /** Appends the record of a change, durably, then takes it; {@code d == null} is an undefine. */
    private void change(String name, StoredDefinition d, String failure) {
        if (closed) {
            throw new VnetException(ErrorCode.STATE_IO, failure + ": the definition store is closed");
        }
        try {
            if (log == null) {
                DefinitionLog made = DefinitionLog.open(dir);
                made.replay();
                log = made;
            }
            log.append(new DefinitionRecord(name, d == null ? null : d.xml(), d != null && d.autostart(),
                    onDisk.getOrDefault(name, Fingerprint.ABSENT)));
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, failure + ": " + e.getMessage(), e);
        }
        appended++;
        if (d == null) {
            current.remove(name);
        } else {
            current.put(name, d);
        }
        dirty.add(name);
        scheduleLocked(compactDelayMillis);
    }

    /** A record is taken only if its file will fit: the log never holds what the disk cannot take (a full disk). */
    private void checkSpace(Path file, int length) {
        long free;
        try {
            free = fileStore.getUnallocatedSpace();
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot write " + file + ": " + e.getMessage(), e);
        }
        if (free < length + SPACE_MARGIN) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot write " + file + ": No space left on device (" + free
                    + " bytes free in " + dir + ")");
        }
    }

    @Override
    public String setAside(String name, String reason) {
        loaded();
        synchronized (compactions) {
            synchronized (this) {
                StoredDefinition d = current.get(name);
                Path aside;
                if (d != null && !Fingerprint.of(d.xml()).equals(onDisk.get(name))) {
                    // the stored version is the log's, not yet in the file: that is the one kept
                    aside = dir.resolve(name + ".xml.corrupt-" + System.currentTimeMillis());
                    AtomicFiles.write(aside, d.xml());
                } else {
                    aside = files.setAside(name);
                    onDisk.put(name, Fingerprint.ABSENT);
                }
                if (d != null) {
                    change(name, null, "cannot remove the definition of '" + name + "'");
                }
                LOG.error("definition {}.xml set aside as {}: {}", dir.resolve(name), aside, reason);
                return aside.toString();
            }
        }
    }

    private void loaded() {
        boolean load;
        synchronized (this) {
            load = !loadedOnce;
        }
        if (load) {
            loadAll();
        }
    }

    /**
     * Writes the files of every changed name, syncs the directories once, and empties the log if no
     * record came meanwhile. The caller holds {@link #compactions}; {@code this} is held only to take the
     * batch and to record the result, so defines go on while the files are written.
     */
    private void compact() throws IOException {
        Map<String, StoredDefinition> batch = new LinkedHashMap<>();
        Map<String, Fingerprint> before = new HashMap<>();
        long upTo;
        synchronized (this) {
            for (String name : dirty) {
                batch.put(name, current.get(name));
                before.put(name, onDisk.getOrDefault(name, Fingerprint.ABSENT));
            }
            dirty.clear();
            upTo = appended;
        }
        try {
            for (Map.Entry<String, StoredDefinition> e : batch.entrySet()) {
                StoredDefinition d = e.getValue();
                if (d == null) {
                    files.delete(e.getKey());
                } else {
                    files.write(e.getKey(), d.xml(), !Fingerprint.of(d.xml()).equals(before.get(e.getKey())), d.autostart());
                }
            }
            if (!batch.isEmpty()) {
                files.sync();
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                dirty.addAll(batch.keySet());
            }
            throw e;
        }
        synchronized (this) {
            batch.forEach((name, d) -> onDisk.put(name, Fingerprint.of(d == null ? null : d.xml())));
            if (dirty.isEmpty() && appended == upTo && logRecords() > 0) {
                log.reset();
            }
        }
    }

    private int logRecords() {
        return log == null ? 0 : log.records();
    }

    private void compactInBackground() {
        synchronized (compactions) {
            synchronized (this) {
                if (closed) {
                    return;
                }
            }
            try {
                compact();
                synchronized (this) {
                    if (retryMillis > 0) {
                        LOG.info("the definition files in {} are up to date again", dir);
                    }
                    retryMillis = 0;
                    scheduled = null;
                    if (!dirty.isEmpty() || logRecords() > 0) {
                        scheduleLocked(compactDelayMillis);
                    }
                }
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    retryMillis = Math.min(MAX_RETRY_MILLIS, Math.max(1000, retryMillis * 2));
                    LOG.warn("cannot bring the definition files in {} up to date: {}; they stay in the definitions log, next try"
                            + " in {} s", dir, e.getMessage(), retryMillis / 1000);
                    scheduled = null;
                    scheduleLocked(retryMillis);
                }
            }
        }
    }

    private void scheduleLocked(long delayMillis) {
        if (closed || scheduled != null) {
            return;
        }
        if (compactor == null) {
            compactor = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("vnetd-definitions").factory());
        }
        scheduled = compactor.schedule(this::compactInBackground, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Brings the files up to date now (tests, and {@link #close}). */
    void flush() {
        synchronized (compactions) {
            try {
                compact();
            } catch (IOException e) {
                throw new VnetException(ErrorCode.STATE_IO, "cannot write the definitions in " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** Brings the files up to date (best effort: what fails stays in the log) and stops the compaction thread. */
    @Override
    public void close() {
        synchronized (compactions) {
            ScheduledExecutorService c;
            synchronized (this) {
                if (closed || !loadedOnce) {
                    closed = true;
                    return;
                }
                c = compactor;
            }
            try {
                compact();
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot bring the definition files in {} up to date at exit: {}; they stay in the definitions log", dir,
                        e.getMessage());
            }
            synchronized (this) {
                closed = true;
                if (scheduled != null) {
                    scheduled.cancel(false);
                }
                try {
                    if (log != null) {
                        log.close();
                    }
                } catch (IOException e) {
                    LOG.warn("cannot close {}: {}", log.path(), e.getMessage());
                }
            }
            if (c != null) {
                c.shutdownNow();
            }
        }
    }
}
