package org.vnetd.daemon.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * Crash-safe file replacement: write a temp file in the same directory, fsync it, rename it over the
 * target, fsync the directory. A reader sees the old file or the new one, never a torn one. The file
 * is owner-only ({@link FileModes#PRIVATE_FILE}) whatever the umask. {@link #replace} leaves the
 * directory's sync to the caller, who may make several renames durable with one.
 */
public final class AtomicFiles {
    /** Temp files start with this; a crash may leave one, which {@link #isTemp} lets loaders skip. */
    static final String TEMP_PREFIX = ".tmp-";

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) {
        replace(target, content, true);
    }

    /** As {@link #write}, without the directory's sync: the new name is durable only once the caller syncs it. */
    public static void replace(Path target, byte[] content) {
        replace(target, content, false);
    }

    private static void replace(Path target, byte[] content, boolean syncDirectory) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            if (!Files.isDirectory(dir)) {
                FileModes.directory(dir, FileModes.PRIVATE_DIR);
            }
            try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    FileModes.privateFile())) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            if (syncDirectory) {
                syncDirectory(dir);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write error below is what matters; a leftover temp file is skipped by loaders
            }
            throw new VnetException(ErrorCode.STATE_IO, "cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Makes a rename or unlink in {@code dir} durable. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Deletes the temp files an interrupted write left in {@code dir}: each target still holds its previous
     * version, so nothing is lost. Returns the names removed, for the caller's log.
     */
    public static List<String> removeLeftovers(Path dir) throws IOException {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path p : files) {
                Files.deleteIfExists(p);
                removed.add(p.getFileName().toString());
            }
        }
        return removed;
    }

    public static boolean isTemp(Path p) {
        return p.getFileName().toString().startsWith(TEMP_PREFIX);
    }

    /** Renames {@code file} to {@code file.corrupt-<millis>} and returns the new path. */
    public static Path setAside(Path file) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(file.toAbsolutePath().getParent());
            return aside;
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot move " + file + " aside: " + e.getMessage(), e);
        }
    }
}
