package org.vnetd.daemon.libvirt.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

class XdrTest {
    private static ByteBuf bytes(int... b) {
        ByteBuf buf = Unpooled.buffer();
        for (int x : b) {
            buf.writeByte(x);
        }
        return buf;
    }

    @Test
    void stringsArePaddedToFourBytesAndRoundTrip() {
        ByteBuf buf = Unpooled.buffer();
        new XdrWriter(buf).writeString("abcde", 10).writeInt(-1).writeHyper(1L << 40).writeUnsignedInt(0xFFFF_FFFFL);
        assertEquals("000000056162636465000000ffffffff0000010000000000ffffffff", ByteBufUtil.hexDump(buf));
        XdrReader r = new XdrReader(buf);
        assertEquals("abcde", r.readString(10));
        assertEquals(-1, r.readInt());
        assertEquals(1L << 40, r.readHyper());
        assertEquals(0xFFFF_FFFFL, r.readUnsignedInt());
        r.end();
    }

    @Test
    void optionalsArraysAndFixedOpaqueRoundTrip() {
        ByteBuf buf = Unpooled.buffer();
        new XdrWriter(buf).writeOptional(Optional.of("x"), (w, s) -> w.writeString(s, 4))
                .writeOptional(Optional.<String>empty(), (w, s) -> w.writeString(s, 4))
                .writeArray(List.of(1, 2, 3), 3, XdrWriter::writeInt)
                .writeFixedOpaque(new byte[] {9, 8});
        XdrReader r = new XdrReader(buf);
        assertEquals(Optional.of("x"), r.readOptional(x -> x.readString(4)));
        assertEquals(Optional.empty(), r.readOptional(x -> x.readString(4)));
        assertEquals(List.of(1, 2, 3), r.readArray(3, XdrReader::readInt));
        assertArrayEquals(new byte[] {9, 8}, r.readFixedOpaque(2));
        r.end();
    }

    @Test
    void aStringPastItsMaximumIsRefusedBeforeItIsRead() {
        XdrException e = assertThrows(XdrException.class, () -> new XdrReader(bytes(0, 0, 0, 5, 'a', 'b', 'c', 'd', 'e', 0, 0, 0))
                .readString(4));
        assertEquals("string of 5 bytes is longer than its maximum of 4", e.getMessage());
        // a hostile 4 GiB length allocates nothing
        assertEquals("string of 4294967295 bytes is longer than its maximum of 4194304",
                assertThrows(XdrException.class, () -> new XdrReader(bytes(0xff, 0xff, 0xff, 0xff)).readString(4_194_304))
                        .getMessage());
    }

    @Test
    void truncatedInputIsAnErrorNamingWhatWasCut() {
        assertEquals("truncated: string of 5 bytes needs 8 bytes, 5 left",
                assertThrows(XdrException.class, () -> new XdrReader(bytes(0, 0, 0, 5, 'a', 'b', 'c', 'd', 'e')).readString(10))
                        .getMessage());
        assertEquals("truncated: int needs 4 bytes, 2 left", assertThrows(XdrException.class, () -> new XdrReader(bytes(0, 1)).readInt())
                .getMessage());
    }

    @Test
    void arrayCountsAreBoundedByTheirMaximumAndByWhatIsLeft() {
        assertEquals("array of 4 elements is longer than its maximum of 3",
                assertThrows(XdrException.class, () -> new XdrReader(bytes(0, 0, 0, 4)).readArray(3, XdrReader::readInt)).getMessage());
        assertEquals("array of 1000 elements does not fit in the 0 bytes left",
                assertThrows(XdrException.class, () -> new XdrReader(bytes(0, 0, 3, 0xe8)).readArray(16384, XdrReader::readInt))
                        .getMessage());
    }

    @Test
    void badBooleansAndTrailingBytesAreErrors() {
        assertEquals("bool is 2, not 0 or 1", assertThrows(XdrException.class, () -> new XdrReader(bytes(0, 0, 0, 2)).readBool()).getMessage());
        XdrReader r = new XdrReader(bytes(0, 0, 0, 1, 0, 0, 0, 0));
        r.readInt();
        assertEquals("4 unexpected bytes after the arguments", assertThrows(XdrException.class, r::end).getMessage());
    }

    @Test
    void theWriterRefusesWhatTheReaderWouldRefuse() {
        assertThrows(XdrException.class, () -> new XdrWriter(Unpooled.buffer()).writeString("abcde", 4));
        assertThrows(XdrException.class, () -> new XdrWriter(Unpooled.buffer()).writeArray(List.of(1, 2), 1, XdrWriter::writeInt));
        assertThrows(XdrException.class, () -> new XdrWriter(Unpooled.buffer()).writeUnsignedInt(-1));
    }
}
