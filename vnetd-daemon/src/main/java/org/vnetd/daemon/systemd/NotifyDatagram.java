package org.vnetd.daemon.systemd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.sys.Libc;

/**
 * One sd_notify(3) datagram to the service manager's socket, with descriptors attached as
 * {@code SCM_RIGHTS} when the message hands them over ({@code FDSTORE=1}). A fresh unbound socket per
 * message, as libsystemd does: nothing to keep open, and the kernel tells the receiver our pid.
 * x86-64 layouts of {@code sockaddr_un}, {@code msghdr}, {@code iovec} and {@code cmsghdr}.
 */
final class NotifyDatagram {
    private static final int SUN_PATH = 108;
    private static final int CMSG_HEADER = 16;

    private NotifyDatagram() {
    }

    /**
     * @param socket the value of {@code $NOTIFY_SOCKET}: a path, or an abstract name written with a leading '@'
     * @throws VnetException (ErrorCode.INTERNAL) naming the socket and errno when the datagram cannot be sent
     */
    static void send(String socket, String message, int... fds) {
        byte[] name = socket.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = name.length > 0 && name[0] == '@';
        if (name.length == 0 || name.length >= SUN_PATH) {
            throw new VnetException(ErrorCode.INTERNAL, "NOTIFY_SOCKET '" + socket + "' is not a usable socket address");
        }
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            MemorySegment addr = arena.allocate(2 + SUN_PATH);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_UNIX);
            MemorySegment.copy(name, 0, addr, ValueLayout.JAVA_BYTE, 2, name.length);
            if (abstractName) {
                addr.set(ValueLayout.JAVA_BYTE, 2, (byte) 0);
            }
            // an abstract name is exactly its bytes; a path counts its terminating NUL
            int addrLen = 2 + name.length + (abstractName ? 0 : 1);
            MemorySegment data = arena.allocate(Math.max(1, body.length));
            MemorySegment.copy(body, 0, data, ValueLayout.JAVA_BYTE, 0, body.length);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(ValueLayout.ADDRESS, 0, data);
            iov.set(ValueLayout.JAVA_LONG, 8, body.length);
            MemorySegment msg = arena.allocate(56, 8);
            msg.set(ValueLayout.ADDRESS, 0, addr);
            msg.set(ValueLayout.JAVA_INT, 8, addrLen);
            msg.set(ValueLayout.ADDRESS, 16, iov);
            msg.set(ValueLayout.JAVA_LONG, 24, 1);
            if (fds.length > 0) {
                int space = CMSG_HEADER + ((fds.length * 4 + 7) & ~7);
                MemorySegment control = arena.allocate(space, 8);
                control.set(ValueLayout.JAVA_LONG, 0, CMSG_HEADER + fds.length * 4L);
                control.set(ValueLayout.JAVA_INT, 8, Libc.SOL_SOCKET);
                control.set(ValueLayout.JAVA_INT, 12, Libc.SCM_RIGHTS);
                for (int i = 0; i < fds.length; i++) {
                    control.set(ValueLayout.JAVA_INT, CMSG_HEADER + 4L * i, fds[i]);
                }
                msg.set(ValueLayout.ADDRESS, 32, control);
                msg.set(ValueLayout.JAVA_LONG, 40, space);
            }
            int fd = Libc.socket(st, Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw failure(socket, "open a socket", st.errno());
            }
            try {
                if (Libc.sendmsg(st, fd, msg, Libc.MSG_NOSIGNAL) < 0) {
                    throw failure(socket, "send to it", st.errno());
                }
            } finally {
                Libc.close(st, fd);
            }
        }
    }

    private static VnetException failure(String socket, String what, int errno) {
        return new VnetException(ErrorCode.INTERNAL, "cannot notify systemd at " + socket + ": " + what + ": "
                + Libc.strerror(errno) + " (errno " + errno + ")");
    }
}
