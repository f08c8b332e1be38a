package org.vnetd.daemon.tftp;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.tftp.TftpErrorCode;

/**
 * A TFTP root on disk and the checks that keep reads inside it. A name that {@code TftpPath} made
 * relative is resolved under the root, every symlink followed ({@link Path#toRealPath}), and the
 * result must still lie under the root's real path: a symlink may point elsewhere inside the root,
 * never out of it. Only regular files that everyone may read are served (as dnsmasq does when it
 * runs as root: the daemon's privileges must not decide what guests can read).
 *
 * <p>Between the check and the open, a directory inside the root could be swapped for a symlink by
 * someone who can write the root; the open refuses a symlink as the last component, and the root is
 * the administrator's directory, so that race needs write access the guests do not have.
 */
final class RootDirectory {
    /** A readable file, open; the caller closes it. */
    record Opened(FileChannel channel, long size, Path path) {
    }

    /** Why a name is not served: the TFTP error to send and a reason for the log. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final TftpErrorCode code;

        Refusal(TftpErrorCode code, String reason) {
            super(reason);
            this.code = code;
        }

        TftpErrorCode code() {
            return code;
        }
    }

    private final String configured;
    private final Path real;

    private RootDirectory(String configured, Path real) {
        this.configured = configured;
        this.real = real;
    }

    /** Checks the root exists and is a directory; the VnetException names the network and the path. */
    static RootDirectory open(String network, String root) {
        Path p;
        try {
            p = Path.of(root);
        } catch (java.nio.file.InvalidPathException e) {
            throw new VnetException(ErrorCode.TFTP, "TFTP root '" + root + "' of network '" + network + "' is not a valid path");
        }
        if (!p.isAbsolute()) {
            throw new VnetException(ErrorCode.TFTP, "TFTP root '" + root + "' of network '" + network + "' is not an absolute path");
        }
        if (!Files.exists(p)) {
            throw new VnetException(ErrorCode.TFTP, "TFTP root '" + root + "' of network '" + network + "' does not exist");
        }
        if (!Files.isDirectory(p)) {
            throw new VnetException(ErrorCode.TFTP, "TFTP root '" + root + "' of network '" + network + "' is not a directory");
        }
        try {
            return new RootDirectory(root, p.toRealPath());
        } catch (IOException e) {
            throw new VnetException(ErrorCode.TFTP, "TFTP root '" + root + "' of network '" + network + "' cannot be read: " + e, e);
        }
    }

    String configured() {
        return configured;
    }

    Path real() {
        return real;
    }

    /** Opens {@code relative} (from {@code TftpPath}) for reading, or says why not. */
    Opened open(String relative) throws Refusal {
        Path target;
        try {
            target = real.resolve(relative).toRealPath();
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw new Refusal(TftpErrorCode.FILE_NOT_FOUND, "no such file");
        } catch (AccessDeniedException e) {
            throw new Refusal(TftpErrorCode.ACCESS_VIOLATION, "permission denied");
        } catch (IOException | java.nio.file.InvalidPathException e) {
            // ELOOP, ENAMETOOLONG and the like: nothing there that could be served
            throw new Refusal(TftpErrorCode.FILE_NOT_FOUND, "cannot resolve: " + e.getMessage());
        }
        if (!target.startsWith(real)) {
            throw new Refusal(TftpErrorCode.ACCESS_VIOLATION, "resolves to " + target + ", outside the TFTP root " + real);
        }
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new Refusal(TftpErrorCode.FILE_NOT_FOUND, "cannot stat: " + e.getMessage());
        }
        if (!attrs.isRegularFile()) {
            throw new Refusal(TftpErrorCode.ACCESS_VIOLATION, "not a regular file");
        }
        if (!attrs.permissions().contains(PosixFilePermission.OTHERS_READ)) {
            throw new Refusal(TftpErrorCode.ACCESS_VIOLATION, "not world-readable");
        }
        try {
            FileChannel ch = FileChannel.open(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            return new Opened(ch, ch.size(), target);
        } catch (AccessDeniedException e) {
            throw new Refusal(TftpErrorCode.ACCESS_VIOLATION, "permission denied");
        } catch (IOException e) {
            throw new Refusal(TftpErrorCode.NOT_DEFINED, "cannot open: " + e.getMessage());
        }
    }
}
