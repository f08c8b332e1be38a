package org.vnetd.core.tftp;

import java.io.IOException;

/**
 * Positional reads of the file being sent. The daemon backs it with a FileChannel (positional reads,
 * nothing loaded whole); tests with a byte array. Kept here so the transfer logic does no I/O itself.
 */
@FunctionalInterface
public interface BlockSource {
    /**
     * Reads up to {@code len} bytes at {@code position} into {@code dst[off..]}.
     *
     * @return the number of bytes read: fewer than {@code len} only at the end of the file
     */
    int read(long position, byte[] dst, int off, int len) throws IOException;
}
