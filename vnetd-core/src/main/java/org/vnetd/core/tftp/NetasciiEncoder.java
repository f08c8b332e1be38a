package org.vnetd.core.tftp;

import java.io.IOException;

/**
 * Netascii blocks (RFC 1350 → RFC 764): LF becomes CR LF and a bare CR becomes CR NUL, as tftp-hpa
 * does (dnsmasq converts LF only). An expansion may straddle two blocks: the byte that did not fit
 * is carried in {@link Position#pending()}. Since output and file offsets drift apart, blocks are
 * made in order from the position where the previous one ended (which is why netascii transfers use
 * a window of one).
 */
final class NetasciiEncoder {
    /** Where a block starts: the file offset and a byte still owed from the previous block (or -1). */
    record Position(long offset, int pending) {
        static final Position START = new Position(0, -1);
    }

    /** One block and where the next one starts. */
    record Block(byte[] payload, Position next) {
    }

    private NetasciiEncoder() {
    }

    static Block block(BlockSource src, Position at, int blockSize) throws IOException {
        byte[] raw = new byte[blockSize];
        int rawLen = src.read(at.offset(), raw, 0, blockSize);
        byte[] out = new byte[blockSize];
        int n = 0;
        int pending = at.pending();
        if (pending >= 0) {
            out[n++] = (byte) pending;
            pending = -1;
        }
        int used = 0;
        while (used < rawLen && n < blockSize) {
            byte c = raw[used++];
            if (c == '\n' || c == '\r') {
                out[n++] = '\r';
                byte second = c == '\n' ? (byte) '\n' : 0;
                if (n < blockSize) {
                    out[n++] = second;
                } else {
                    pending = second & 0xff;
                }
            } else {
                out[n++] = c;
            }
        }
        return new Block(java.util.Arrays.copyOf(out, n), new Position(at.offset() + used, pending));
    }
}
