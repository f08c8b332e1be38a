package org.vnetd.daemon.netlink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.vnetd.core.link.KernelException;
import org.vnetd.core.link.Sysctl;
import org.vnetd.core.link.SysctlKey;

/**
 * {@link Sysctl} through {@code /proc/sys}. Network sysctls are per namespace: the kernel picks the
 * namespace of the thread that opens the file, so a thread inside a test namespace sees that one's.
 */
public final class ProcSysctl implements Sysctl {
    private final Path root;

    public ProcSysctl() {
        this(Path.of("/proc/sys"));
    }

    /** {@code root} other than /proc/sys is for tests of the path mapping only. */
    public ProcSysctl(Path root) {
        this.root = root;
    }

    Path path(SysctlKey key) {
        Path p = root;
        for (String s : key.segments()) {
            p = p.resolve(s);
        }
        return p;
    }

    @Override
    public String read(SysctlKey key) {
        try {
            return Files.readString(path(key), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw failure("read sysctl " + key, e);
        }
    }

    @Override
    public void write(SysctlKey key, String value) {
        if (value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("sysctl value for " + key + " must be one line");
        }
        try {
            // no CREATE: a missing key is an error, never a new file
            Files.writeString(path(key), value + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw failure("write '" + value + "' to sysctl " + key, e);
        }
    }

    private static KernelException failure(String op, IOException e) {
        int errno = e instanceof NoSuchFileException ? Errno.ENOENT
                : e instanceof AccessDeniedException ? Errno.EPERM
                : (e.getMessage() != null && e.getMessage().contains("Invalid argument")) ? Errno.EINVAL : 5;
        String detail = e instanceof NoSuchFileException
                ? "no such key (the interface or protocol may be missing in this namespace)" : e.getMessage();
        return Errno.exception(op, null, errno, detail);
    }
}
