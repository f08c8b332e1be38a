package org.vnetd.daemon.state;

import java.util.zip.CRC32C;

/**
 * What a definition file holds, as far as the definitions log needs to tell versions apart: its length and
 * CRC-32C, or {@link #ABSENT} for no file. Replay compares a file's fingerprint with those its records
 * name to tell a file vnetd wrote from one edited by hand (a hand edit with the same length and CRC as
 * a version vnetd wrote is taken for that version: a 2^-32 chance, and only for a file edited while the
 * log still held records of it).
 */
record Fingerprint(int crc, int length) {
    static final Fingerprint ABSENT = new Fingerprint(0, -1);

    static Fingerprint of(byte[] content) {
        if (content == null) {
            return ABSENT;
        }
        CRC32C c = new CRC32C();
        c.update(content);
        return new Fingerprint((int) c.getValue(), content.length);
    }
}
