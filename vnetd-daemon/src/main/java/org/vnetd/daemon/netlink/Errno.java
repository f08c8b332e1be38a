package org.vnetd.daemon.netlink;

import java.util.Map;

import org.vnetd.core.link.KernelException;
import org.vnetd.daemon.sys.Libc;

/** Symbolic names of Linux errno values (x86-64/generic numbering), and the typed exception built from one. */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ERANGE = 34;
    static final int ENOBUFS = 105;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(3, "ESRCH"), Map.entry(4, "EINTR"),
            Map.entry(5, "EIO"), Map.entry(6, "ENXIO"), Map.entry(7, "E2BIG"), Map.entry(9, "EBADF"),
            Map.entry(11, "EAGAIN"), Map.entry(12, "ENOMEM"), Map.entry(13, "EACCES"), Map.entry(14, "EFAULT"),
            Map.entry(16, "EBUSY"), Map.entry(17, "EEXIST"), Map.entry(18, "EXDEV"), Map.entry(19, "ENODEV"),
            Map.entry(20, "ENOTDIR"), Map.entry(21, "EISDIR"), Map.entry(22, "EINVAL"), Map.entry(23, "ENFILE"),
            Map.entry(24, "EMFILE"), Map.entry(25, "ENOTTY"), Map.entry(28, "ENOSPC"), Map.entry(30, "EROFS"),
            Map.entry(31, "EMLINK"), Map.entry(32, "EPIPE"), Map.entry(34, "ERANGE"), Map.entry(36, "ENAMETOOLONG"),
            Map.entry(38, "ENOSYS"), Map.entry(39, "ENOTEMPTY"), Map.entry(40, "ELOOP"), Map.entry(42, "ENOMSG"),
            Map.entry(61, "ENODATA"), Map.entry(67, "ENOLINK"), Map.entry(71, "EPROTO"), Map.entry(74, "EBADMSG"),
            Map.entry(75, "EOVERFLOW"), Map.entry(90, "EMSGSIZE"), Map.entry(92, "ENOPROTOOPT"),
            Map.entry(93, "EPROTONOSUPPORT"), Map.entry(95, "EOPNOTSUPP"), Map.entry(97, "EAFNOSUPPORT"),
            Map.entry(98, "EADDRINUSE"), Map.entry(99, "EADDRNOTAVAIL"), Map.entry(100, "ENETDOWN"),
            Map.entry(101, "ENETUNREACH"), Map.entry(105, "ENOBUFS"), Map.entry(110, "ETIMEDOUT"),
            Map.entry(111, "ECONNREFUSED"), Map.entry(113, "EHOSTUNREACH"), Map.entry(114, "EALREADY"),
            Map.entry(115, "EINPROGRESS"), Map.entry(122, "EDQUOT"), Map.entry(125, "ECANCELED"),
            Map.entry(524, "ENOTSUPP"));

    private Errno() {
    }

    static String name(int errno) {
        return NAMES.getOrDefault(errno, "E" + errno);
    }

    static KernelException exception(String operation, String ifname, int errno, String kernelMessage) {
        return new KernelException(operation, ifname, errno, name(errno), errno < 512 ? Libc.strerror(errno) : "",
                kernelMessage);
    }
}
