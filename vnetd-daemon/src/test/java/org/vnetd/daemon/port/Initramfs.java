package org.vnetd.daemon.port;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip-compressed cpio archive in the kernel's "newc" format (Documentation/driver-api/early-userspace/
 * buffer-format.rst): enough to hand a kernel a tiny root file system with busybox, modules and /init.
 */
final class Initramfs {
    private static final int DIR = 0040755;
    private static final int FILE = 0100644;
    private static final int EXEC = 0100755;

    private final ByteArrayOutputStream cpio = new ByteArrayOutputStream();
    private int ino = 1;

    Initramfs dir(String path) {
        entry(path, DIR, new byte[0]);
        return this;
    }

    Initramfs file(String path, byte[] content, boolean executable) {
        entry(path, executable ? EXEC : FILE, content);
        return this;
    }

    Initramfs file(String path, String content, boolean executable) {
        return file(path, content.getBytes(StandardCharsets.UTF_8), executable);
    }

    Initramfs copy(String path, Path from, boolean executable) throws IOException {
        return file(path, Files.readAllBytes(from), executable);
    }

    private void entry(String path, int mode, byte[] data) {
        byte[] name = (path + "\0").getBytes(StandardCharsets.US_ASCII);
        String header = String.format("070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ino++, mode, 0, 0, 1, 0,
                data.length, 0, 0, 0, 0, name.length, 0);
        cpio.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        cpio.writeBytes(name);
        pad(110 + name.length);
        cpio.writeBytes(data);
        pad(data.length);
    }

    private void pad(int len) {
        for (int i = len; i % 4 != 0; i++) {
            cpio.write(0);
        }
    }

    void writeTo(Path target) throws IOException {
        entry("TRAILER!!!", 0, new byte[0]);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
            cpio.writeTo(out);
        }
    }
}
