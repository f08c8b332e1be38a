package org.vnetd.daemon.tftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.tftp.TftpErrorCode;

/** What the daemon serves from a root on disk, and what it refuses (no network needed). */
class TftpRootDirectoryTest {
    @TempDir
    Path tmp;

    private Path file(Path p, String content, String perms) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        return p;
    }

    private static TftpErrorCode refusal(RootDirectory root, String relative) {
        return assertThrows(RootDirectory.Refusal.class, () -> root.open(relative), relative).code();
    }

    @Test
    void missingRootFailsWithTheTftpCodeNamingThePath() {
        String missing = tmp.resolve("srv/tftp").toString();
        VnetException e = assertThrows(VnetException.class, () -> RootDirectory.open("pxe", missing));
        assertEquals(ErrorCode.TFTP, e.code());
        assertTrue(e.getMessage().contains(missing) && e.getMessage().contains("does not exist") && e.getMessage().contains("pxe"),
                e.getMessage());
    }

    @Test
    void rootThatIsAFileOrRelativeIsRefused() throws Exception {
        Path f = file(tmp.resolve("plain"), "x", "rw-r--r--");
        VnetException e = assertThrows(VnetException.class, () -> RootDirectory.open("pxe", f.toString()));
        assertEquals(ErrorCode.TFTP, e.code());
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
        assertEquals(ErrorCode.TFTP, assertThrows(VnetException.class, () -> RootDirectory.open("pxe", "srv/tftp")).code());
    }

    @Test
    void readsRegularWorldReadableFilesAndSymlinksThatStayInside() throws Exception {
        Path rootDir = tmp.resolve("root");
        file(rootDir.resolve("boot/pxelinux.0"), "loader", "rw-r--r--");
        Files.createSymbolicLink(rootDir.resolve("link"), rootDir.resolve("boot/pxelinux.0"));
        Files.createSymbolicLink(rootDir.resolve("rel-link"), Path.of("boot/pxelinux.0"));
        RootDirectory root = RootDirectory.open("pxe", rootDir.toString());
        for (String name : new String[] {"boot/pxelinux.0", "link", "rel-link"}) {
            RootDirectory.Opened o = root.open(name);
            try (var ch = o.channel()) {
                assertEquals(6, o.size(), name);
                assertTrue(o.path().startsWith(root.real()), name);
            }
        }
    }

    @Test
    void refusals() throws Exception {
        Path rootDir = tmp.resolve("root");
        Path outside = file(tmp.resolve("outside/secret"), "secret", "rw-r--r--");
        file(rootDir.resolve("private"), "p", "rw-r-----");
        Files.createDirectories(rootDir.resolve("dir"));
        Files.createSymbolicLink(rootDir.resolve("escape"), outside);
        Files.createSymbolicLink(rootDir.resolve("escape-dir"), outside.getParent());
        Files.createSymbolicLink(rootDir.resolve("dangling"), rootDir.resolve("nowhere"));
        Files.createSymbolicLink(rootDir.resolve("loop"), rootDir.resolve("loop"));
        RootDirectory root = RootDirectory.open("pxe", rootDir.toString());
        assertEquals(TftpErrorCode.FILE_NOT_FOUND, refusal(root, "missing"));
        assertEquals(TftpErrorCode.FILE_NOT_FOUND, refusal(root, "dangling"));
        assertEquals(TftpErrorCode.FILE_NOT_FOUND, refusal(root, "private/below-a-file"));
        assertEquals(TftpErrorCode.ACCESS_VIOLATION, refusal(root, "escape"));
        assertEquals(TftpErrorCode.ACCESS_VIOLATION, refusal(root, "escape-dir/secret"));
        assertEquals(TftpErrorCode.ACCESS_VIOLATION, refusal(root, "dir"));
        assertEquals(TftpErrorCode.ACCESS_VIOLATION, refusal(root, "private"));
        assertEquals(TftpErrorCode.FILE_NOT_FOUND, refusal(root, "loop"), "ELOOP: nothing there to serve");
    }

    @Test
    void rootReachedThroughASymlinkStillConfinesReads() throws Exception {
        Path real = tmp.resolve("real-root");
        file(real.resolve("ok"), "ok", "rw-r--r--");
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), real);
        file(tmp.resolve("beside"), "no", "rw-r--r--");
        Files.createSymbolicLink(real.resolve("up"), tmp.resolve("beside"));
        RootDirectory root = RootDirectory.open("pxe", alias.toString());
        try (var ch = root.open("ok").channel()) {
            assertTrue(ch.size() == 2);
        }
        assertEquals(TftpErrorCode.ACCESS_VIOLATION, refusal(root, "up"));
    }
}
