package org.vnetd.daemon.state;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.driver.NetworkNames;
import org.vnetd.core.error.VnetException;

/**
 * The definition files as libvirt keeps them, {@code DIR/NAME.xml} and {@code DIR/autostart/NAME.xml} a
 * symlink to {@code ../NAME.xml}: read at start, brought up to date from the definitions log by
 * {@link ConfigDirStore}'s compaction. Writes here are not durable until {@link #sync}.
 */
final class DefinitionFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigDirStore.class);
    /** A file not read (too large, or an I/O error): matches no version vnetd wrote. */
    static final Fingerprint UNREAD = new Fingerprint(0, -2);

    /** A definition file as found: its bytes and their fingerprint, or the problem that keeps it from being used. */
    record Found(String name, byte[] bytes, Fingerprint fingerprint, boolean autostart, String problem) {
        String xml() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final Path dir;
    private final Path autostartDir;

    DefinitionFiles(Path dir) {
        this.dir = dir;
        this.autostartDir = dir.resolve("autostart");
    }

    Path dir() {
        return dir;
    }

    Path file(String name) {
        return dir.resolve(NetworkNames.check(name) + ".xml");
    }

    Path link(String name) {
        return autostartDir.resolve(NetworkNames.check(name) + ".xml");
    }

    Map<String, Found> readAll() throws IOException {
        Map<String, Found> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.xml")) {
            for (Path p : files) {
                if (AtomicFiles.isTemp(p) || !Files.isRegularFile(p)) {
                    continue;
                }
                String fileName = p.getFileName().toString();
                String name = fileName.substring(0, fileName.length() - ".xml".length());
                out.put(name, read(name, p));
            }
        }
        return out;
    }

    private Found read(String name, Path p) {
        try {
            NetworkNames.check(name);
        } catch (VnetException e) {
            return new Found(name, null, UNREAD, false, e.getMessage());
        }
        byte[] bytes;
        try {
            long size = Files.size(p);
            if (size > ConfigDirStore.MAX_FILE) {
                return new Found(name, null, UNREAD, false, p + " is " + size + " bytes; the limit is " + ConfigDirStore.MAX_FILE);
            }
            bytes = Files.readAllBytes(p);
        } catch (IOException e) {
            return new Found(name, null, UNREAD, false, "cannot read " + p + ": " + e.getMessage());
        }
        Fingerprint fingerprint = Fingerprint.of(bytes);
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            return new Found(name, null, fingerprint, false, p + " is not valid UTF-8");
        }
        return new Found(name, bytes, fingerprint, Files.exists(link(name)), null);
    }

    void removeTempLeftovers() {
        try {
            // a write interrupted by a crash: the target file still holds the previous version
            AtomicFiles.removeLeftovers(dir).forEach(f -> LOG.info("removed {} in {}, left by an interrupted write", f, dir));
        } catch (IOException e) {
            LOG.warn("cannot clean temp files in {}: {}", dir, e.getMessage());
        }
    }

    /** Replaces {@code NAME.xml} (temp file, fsync, rename) and makes the autostart link say {@code autostart}. */
    void write(String name, byte[] xml, boolean rewrite, boolean autostart) throws IOException {
        if (rewrite) {
            AtomicFiles.replace(file(name), xml);
        }
        setLink(name, autostart);
    }

    /** Removes the autostart link and {@code NAME.xml}. */
    void delete(String name) throws IOException {
        Files.deleteIfExists(link(name));
        Files.deleteIfExists(file(name));
    }

    private void setLink(String name, boolean autostart) throws IOException {
        Path l = link(name);
        if (autostart) {
            if (!Files.isSymbolicLink(l)) {
                FileModes.directory(autostartDir, FileModes.PRIVATE_DIR);
                Files.deleteIfExists(l);
                Files.createSymbolicLink(l, Path.of("..", name + ".xml"));
            }
        } else {
            Files.deleteIfExists(l);
        }
    }

    /** Makes the renames, unlinks and links above durable. */
    void sync() throws IOException {
        AtomicFiles.syncDirectory(dir);
        if (Files.isDirectory(autostartDir)) {
            AtomicFiles.syncDirectory(autostartDir);
        }
    }

    /** Moves {@code NAME.xml} aside (a name that is not a valid network name too); returns where it went. */
    Path setAside(String name) {
        Path p = dir.resolve(name + ".xml");
        if (!p.normalize().getParent().equals(dir.normalize())) {
            throw new VnetException(org.vnetd.core.error.ErrorCode.STATE_IO, "refusing to move " + p + ": outside " + dir);
        }
        return AtomicFiles.setAside(p);
    }
}
