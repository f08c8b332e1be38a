package org.vnetd.daemon.dhcp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

import org.vnetd.daemon.state.AtomicFiles;
import org.vnetd.daemon.state.FileModes;

/**
 * Replaces a lease store's snapshot file (DHCPv4's and DHCPv6's) via temp + fsync + rename + directory
 * sync, streamed to the file and fdatasynced every {@link #SYNC_EVERY} bytes: the lease log's
 * fdatasyncs share the disk with this write, and one sync of a whole snapshot (tens of MB with 100k+
 * leases) would put all of it in the disk's queue ahead of them. The temp file is owner-only from its
 * creation; a failed write deletes it (a partial snapshot holds space a full disk needs back).
 */
public final class StreamedSnapshot {
    /** The snapshot is fdatasynced every this many bytes while it is written. */
    static final int SYNC_EVERY = 1 << 20;

    /** Writes a snapshot's content to {@code out} (closing it is allowed, not required). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private StreamedSnapshot() {
    }

    public static void replace(Path file, Content content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            writeFile(tmp, content);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + file + " atomically", e);
        }
        AtomicFiles.syncDirectory(file.getParent());
    }

    private static void writeFile(Path tmp, Content content) throws IOException {
        Files.deleteIfExists(tmp); // created anew: owner-only from the start
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                FileModes.privateFile())) {
            OutputStream out = new BufferedOutputStream(new SyncingOutput(ch, SYNC_EVERY), 64 << 10);
            content.writeTo(out);
            out.flush();
            ch.force(true);
        }
    }

    /** Writes through to a file channel and fdatasyncs it after every {@code syncEvery} bytes; close leaves the channel open. */
    private static final class SyncingOutput extends OutputStream {
        private final FileChannel ch;
        private final long syncEvery;
        private long unsynced;

        SyncingOutput(FileChannel ch, long syncEvery) {
            this.ch = ch;
            this.syncEvery = syncEvery;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            unsynced += len;
            if (unsynced >= syncEvery) {
                ch.force(false);
                unsynced = 0;
            }
        }
    }
}
