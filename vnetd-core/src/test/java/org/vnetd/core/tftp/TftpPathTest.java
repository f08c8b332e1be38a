package org.vnetd.core.tftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class TftpPathTest {
    private static String ok(String requested) {
        return assertInstanceOf(TftpPath.Relative.class, TftpPath.relative(requested, "/srv/tftp"), requested).relative();
    }

    private static TftpErrorCode refused(String requested) {
        return assertInstanceOf(TftpPath.Refused.class, TftpPath.relative(requested, "/srv/tftp"), requested).code();
    }

    @Test
    void plainNamesStayRelative() {
        assertEquals("pxelinux.0", ok("pxelinux.0"));
        assertEquals("pxelinux.cfg/default", ok("pxelinux.cfg/default"));
        assertEquals("a/b", ok("./a//b/."));
    }

    @Test
    void absoluteNamesAreRelativeToTheRootUnlessTheyStartWithIt() {
        assertEquals("etc/passwd", ok("/etc/passwd"), "like dnsmasq: '/x' is ROOT/x");
        assertEquals("pxelinux.0", ok("/srv/tftp/pxelinux.0"), "a name that already starts with the root is taken as is");
        assertEquals("srv/tftpx/a", ok("/srv/tftpx/a"), "a mere string prefix is not the root");
    }

    @Test
    void backslashesAreSlashes() {
        assertEquals("boot/x64/wdsnbp.com", ok("boot\\x64\\wdsnbp.com"));
        assertEquals(TftpErrorCode.ACCESS_VIOLATION, refused("..\\etc\\passwd"));
    }

    @Test
    void dotDotIsAnAccessViolationAnywhere() {
        assertEquals(TftpErrorCode.ACCESS_VIOLATION, refused("../etc/passwd"));
        assertEquals(TftpErrorCode.ACCESS_VIOLATION, refused("a/../../etc/passwd"));
        assertEquals(TftpErrorCode.ACCESS_VIOLATION, refused("a/.."));
        assertEquals(TftpErrorCode.ACCESS_VIOLATION, refused("/srv/tftp/../etc/passwd"));
        assertEquals("..a/b..", ok("..a/b.."), "only a whole '..' component climbs");
    }

    @Test
    void theRootItselfIsNotAFile() {
        assertEquals(TftpErrorCode.ACCESS_VIOLATION, refused("/"));
        assertEquals(TftpErrorCode.ACCESS_VIOLATION, refused("/srv/tftp/"));
        assertEquals(TftpErrorCode.ACCESS_VIOLATION, refused("."));
    }

    @Test
    void rootWithTrailingSlashWorksToo() {
        assertEquals("x", assertInstanceOf(TftpPath.Relative.class, TftpPath.relative("/srv/tftp/x", "/srv/tftp/")).relative());
    }
}
