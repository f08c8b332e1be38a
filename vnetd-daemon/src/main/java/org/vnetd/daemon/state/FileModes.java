package org.vnetd.daemon.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The modes of what the daemon writes, set explicitly rather than left to the umask (under umask 000
 * every file was 0666). Definitions, status files, lease logs and the port log hold guests' identities
 * and the host's network set-up: owner only, as libvirt's are. Directories are owner only, except those
 * others must reach: the run directory holds the read-only RPC socket (0666), and the state directory
 * only holds owner-only directories and files.
 */
public final class FileModes {
    /** Every file the daemon writes: {@code rw-------}. */
    public static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    /** Directories of private files (definitions, status, leases, ports): {@code rwx------}. */
    public static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    /** Directories others must be able to pass through (the run directory, for the read-only socket): {@code rwxr-xr-x}. */
    public static final Set<PosixFilePermission> SHARED_DIR = PosixFilePermissions.fromString("rwxr-xr-x");

    private FileModes() {
    }

    public static FileAttribute<Set<PosixFilePermission>> privateFile() {
        return PosixFilePermissions.asFileAttribute(PRIVATE_FILE);
    }

    /**
     * Creates {@code dir} (and missing parents, with the same mode) and gives it {@code mode}, also when
     * it existed: one made by an older version under a loose umask is tightened.
     */
    public static void directory(Path dir, Set<PosixFilePermission> mode) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(mode));
        if (!Files.getPosixFilePermissions(dir).equals(mode)) {
            Files.setPosixFilePermissions(dir, mode);
        }
    }
}
