package org.vnetd.core.tftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TftpCodecTest {
    /** opcode then NUL-terminated strings, as a client writes a request. */
    static byte[] request(int opcode, String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(opcode);
        for (String f : fields) {
            out.writeBytes(f.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    @Test
    void readRequestWithOptionsDecodes() throws Exception {
        TftpPacket p = TftpCodec.decode(request(1, "pxelinux.0", "octet", "BLKSIZE", "1468", "tsize", "0"));
        TftpPacket.ReadRequest r = assertInstanceOf(TftpPacket.ReadRequest.class, p);
        assertEquals("pxelinux.0", r.filename());
        assertEquals(TransferMode.OCTET, r.mode());
        assertEquals(List.of("blksize", "tsize"), List.copyOf(r.options().keySet()), "names lower-cased, order kept");
        assertEquals("1468", r.options().get("blksize"));
    }

    @Test
    void modeIsCaseInsensitiveAndNetasciiIsAccepted() throws Exception {
        var r = (TftpPacket.ReadRequest) TftpCodec.decode(request(1, "f", "NetASCII"));
        assertEquals(TransferMode.NETASCII, r.mode());
        assertEquals(TransferMode.OCTET, ((TftpPacket.ReadRequest) TftpCodec.decode(request(1, "f", "OCTET"))).mode());
    }

    @Test
    void mailModeIsRefusedAsARequestError() {
        MalformedTftpException e = assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(request(1, "f", "mail")));
        assertTrue(e.request(), "the sender of a bad request is told why");
        assertTrue(e.getMessage().contains("mail"), e.getMessage());
        assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(request(1, "f", "binary")));
    }

    @Test
    void writeRequestDecodes() throws Exception {
        assertInstanceOf(TftpPacket.WriteRequest.class, TftpCodec.decode(request(2, "up.bin", "octet")));
    }

    @Test
    void truncatedPacketsAreMalformed() {
        assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(new byte[0]));
        assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(new byte[] {0}));
        assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(new byte[] {0, 4, 0}), "ACK without its block");
        assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(new byte[] {0, 3, 1}), "DATA without its block");
        assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(new byte[] {0, 5}), "ERROR without code");
        assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(new byte[] {0, 1}), "RRQ without filename");
        assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(request(1, "file")), "RRQ without mode");
    }

    @Test
    void fieldsWithoutNulTerminatorAreMalformed() {
        byte[] noNulFilename = {0, 1, 'a', 'b', 'c'};
        assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(noNulFilename));
        byte[] full = request(1, "f", "octet");
        byte[] noNulMode = java.util.Arrays.copyOf(full, full.length - 1);
        MalformedTftpException e = assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(noNulMode));
        assertTrue(e.request());
        byte[] withOpt = request(1, "f", "octet", "blksize", "1024");
        byte[] noNulValue = java.util.Arrays.copyOf(withOpt, withOpt.length - 1);
        assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(noNulValue));
        byte[] nameOnly = request(1, "f", "octet", "blksize");
        assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(nameOnly), "option without value");
    }

    @Test
    void emptyFilenameIsMalformed() {
        assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(request(1, "", "octet")));
    }

    @Test
    void trailingNulPaddingAfterOptionsIsAccepted() throws Exception {
        byte[] r = request(1, "f", "octet", "tsize", "0");
        byte[] padded = java.util.Arrays.copyOf(r, r.length + 3);
        assertEquals(Map.of("tsize", "0"), ((TftpPacket.ReadRequest) TftpCodec.decode(padded)).options());
        byte[] junk = java.util.Arrays.copyOf(r, r.length + 3);
        junk[junk.length - 1] = 'x';
        assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(junk));
    }

    @Test
    void repeatedOptionKeepsTheFirst() throws Exception {
        var r = (TftpPacket.ReadRequest) TftpCodec.decode(request(1, "f", "octet", "blksize", "1024", "BlkSize", "8"));
        assertEquals("1024", r.options().get("blksize"));
    }

    @Test
    void invalidUtf8FilenameIsMalformed() {
        byte[] b = {0, 1, (byte) 0xff, (byte) 0xfe, 0, 'o', 'c', 't', 'e', 't', 0};
        assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(b));
    }

    @Test
    void unknownOpcodeIsMalformedAndNotARequest() {
        MalformedTftpException e = assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(new byte[] {0, 9, 0, 0}));
        assertFalse(e.request(), "garbage is dropped silently");
        assertThrows(MalformedTftpException.class, () -> TftpCodec.decode(new byte[] {(byte) 0x80, 1, 0, 0}));
    }

    @Test
    void dataAckErrorOackRoundTrip() throws Exception {
        byte[] payload = new byte[1468];
        new Random(7).nextBytes(payload);
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("blksize", "1468");
        opts.put("tsize", "3000000");
        for (TftpPacket p : List.of(new TftpPacket.Data(65535, payload), new TftpPacket.Data(0, new byte[0]), new TftpPacket.Ack(0),
                new TftpPacket.Ack(65535), new TftpPacket.Error(TftpErrorCode.FILE_NOT_FOUND, "File not found"),
                new TftpPacket.OptionAck(opts),
                new TftpPacket.ReadRequest("a/b.cfg", TransferMode.NETASCII, opts))) {
            assertEquals(p, TftpCodec.decode(TftpCodec.encode(p)), p.toString());
        }
        assertEquals(List.of("blksize", "tsize"), List.copyOf(((TftpPacket.OptionAck) TftpCodec.decode(
                TftpCodec.encode(new TftpPacket.OptionAck(opts)))).options().keySet()));
    }

    @Test
    void wireLayoutOfDataAndError() {
        assertArrayEquals(new byte[] {0, 3, 1, 2, 9}, TftpCodec.encode(new TftpPacket.Data(0x0102, new byte[] {9})));
        assertArrayEquals(new byte[] {0, 4, (byte) 0xff, (byte) 0xff}, TftpCodec.encode(new TftpPacket.Ack(65535)));
        assertArrayEquals(new byte[] {0, 5, 0, 2, 'n', 'o', 0}, TftpCodec.encode(new TftpPacket.Error(TftpErrorCode.ACCESS_VIOLATION, "no")));
    }

    @Test
    void errorTextIsMadePrintableAndBounded() throws Exception {
        byte[] b = TftpCodec.encode(new TftpPacket.Error(TftpErrorCode.NOT_DEFINED, "bad\nname\u00e9" + "x".repeat(2000)));
        assertTrue(b.length <= 512, "an ERROR fits 512 octets: " + b.length);
        var e = (TftpPacket.Error) TftpCodec.decode(b);
        assertTrue(e.message().startsWith("bad?name?x"), e.message());
    }

    @Test
    void errorWithoutNulKeepsItsText() throws Exception {
        var e = (TftpPacket.Error) TftpCodec.decode(new byte[] {0, 5, 0, 8, 'n', 'o'});
        assertEquals(TftpErrorCode.OPTION_REFUSED, e.kind());
        assertEquals("no", e.message());
    }

    @Test
    void ackWithPaddingIsAnAck() throws Exception {
        assertEquals(new TftpPacket.Ack(7), TftpCodec.decode(new byte[] {0, 4, 0, 7, 0, 0}));
    }

    @Test
    void randomBytesNeverEscapeAsAnotherException() {
        Random rnd = new Random(1350);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[rnd.nextInt(40)];
            rnd.nextBytes(b);
            if (b.length >= 2 && rnd.nextBoolean()) {
                b[0] = 0;
                b[1] = (byte) (1 + rnd.nextInt(6));
            }
            try {
                TftpCodec.decode(b);
            } catch (MalformedTftpException expected) {
                // fine: dropped or answered with ERROR 4
            }
        }
    }
}
