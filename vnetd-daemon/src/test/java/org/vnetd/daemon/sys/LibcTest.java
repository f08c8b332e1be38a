package org.vnetd.daemon.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

class LibcTest {
    private static final int F_GETFD = 1;
    private static final int FD_CLOEXEC = 1;
    private static final int EBADF = 9;

    @Test
    void aDuplicateFromFdDupfdCloexecIsANewDescriptorClosedOnExec() {
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            MemorySegment path = arena.allocateFrom("/dev/null");
            int fd = Libc.open(st, path, Libc.O_RDONLY); // no O_CLOEXEC: the flag must come from the dup
            assertTrue(fd >= 0, "open /dev/null: errno " + st.errno());
            try {
                assertEquals(0, Libc.fcntl(st, fd, F_GETFD, 0) & FD_CLOEXEC, "the original is not close-on-exec");
                int dup = Libc.fcntl(st, fd, Libc.F_DUPFD_CLOEXEC, 0);
                assertTrue(dup >= 0 && dup != fd, "a new descriptor: " + dup + ", errno " + st.errno());
                try {
                    assertEquals(FD_CLOEXEC, Libc.fcntl(st, dup, F_GETFD, 0) & FD_CLOEXEC, "the duplicate is close-on-exec");
                } finally {
                    Libc.close(st, dup);
                }
            } finally {
                Libc.close(st, fd);
            }
        }
    }

    @Test
    void aFailedCallLeavesItsErrnoInTheCallState() {
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            assertEquals(-1, Libc.fcntl(st, -1, Libc.F_DUPFD_CLOEXEC, 0));
            assertEquals(EBADF, st.errno());
            assertFalse(Libc.strerror(EBADF).isEmpty(), "glibc has a text for EBADF");
        }
    }
}
