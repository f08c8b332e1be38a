package org.vnetd.core.tftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TftpReadTransferTest {
    private static final TftpLimits LIMITS = TftpLimits.forMtu(1500);

    private static BlockSource bytes(byte[] file) {
        return (pos, dst, off, len) -> {
            if (pos >= file.length) {
                return 0;
            }
            int n = (int) Math.min(len, file.length - pos);
            System.arraycopy(file, (int) pos, dst, off, n);
            return n;
        };
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static ReadTransfer.Send send(ReadTransfer.Action a) {
        return assertInstanceOf(ReadTransfer.Send.class, a);
    }

    private static TftpPacket.Data only(ReadTransfer.Action a) {
        List<TftpPacket> p = send(a).packets();
        assertEquals(1, p.size(), p.toString());
        return assertInstanceOf(TftpPacket.Data.class, p.get(0));
    }

    /** Plays a perfect client: ACKs every packet (every window's last block); returns what it received. */
    private static byte[] download(ReadTransfer t, List<Integer> blockNumbers) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ReadTransfer.Action a = t.start();
        for (int guard = 0; guard < 1_000_000; guard++) {
            if (a instanceof ReadTransfer.End end) {
                assertEquals(ReadTransfer.Outcome.COMPLETE, end.outcome(), end.detail());
                return got.toByteArray();
            }
            List<TftpPacket> packets = send(a).packets();
            int last = 0;
            for (TftpPacket p : packets) {
                if (p instanceof TftpPacket.Data d) {
                    got.writeBytes(d.payload());
                    blockNumbers.add(d.block());
                    last = d.block();
                }
            }
            a = t.onPacket(new TftpPacket.Ack(last));
        }
        throw new AssertionError("transfer did not end");
    }

    @Test
    void smallFileIsOneShortBlock() {
        byte[] file = "hello\n".getBytes(StandardCharsets.US_ASCII);
        ReadTransfer t = new ReadTransfer(Negotiation.plain(), TransferMode.OCTET, bytes(file), LIMITS);
        TftpPacket.Data d = only(t.start());
        assertEquals(1, d.block());
        assertArrayEquals(file, d.payload());
        ReadTransfer.End end = assertInstanceOf(ReadTransfer.End.class, t.onPacket(new TftpPacket.Ack(1)));
        assertEquals(ReadTransfer.Outcome.COMPLETE, end.outcome());
        assertNull(end.reply());
        assertTrue(t.isDone());
    }

    @Test
    void fileOfExactlyNBlocksEndsWithAnEmptyBlock() {
        byte[] file = random(2 * 512);
        ReadTransfer t = new ReadTransfer(Negotiation.plain(), TransferMode.OCTET, bytes(file), LIMITS);
        assertEquals(512, only(t.start()).payload().length);
        assertEquals(512, only(t.onPacket(new TftpPacket.Ack(1))).payload().length);
        TftpPacket.Data last = only(t.onPacket(new TftpPacket.Ack(2)));
        assertEquals(3, last.block());
        assertEquals(0, last.payload().length, "RFC 1350: an exact multiple ends with an empty DATA");
        assertInstanceOf(ReadTransfer.End.class, t.onPacket(new TftpPacket.Ack(3)));
    }

    @Test
    void emptyFileIsOneEmptyBlock() {
        ReadTransfer t = new ReadTransfer(Negotiation.plain(), TransferMode.OCTET, bytes(new byte[0]), LIMITS);
        assertEquals(0, only(t.start()).payload().length);
        assertInstanceOf(ReadTransfer.End.class, t.onPacket(new TftpPacket.Ack(1)));
    }

    @Test
    void duplicateAckIsIgnoredNoSorcerersApprentice() {
        byte[] file = random(5000);
        ReadTransfer t = new ReadTransfer(Negotiation.plain(), TransferMode.OCTET, bytes(file), LIMITS);
        t.start();
        assertEquals(2, only(t.onPacket(new TftpPacket.Ack(1))).block());
        // the client's ACK 1 arrives twice (it retransmitted): no second DATA 2
        assertInstanceOf(ReadTransfer.Ignore.class, t.onPacket(new TftpPacket.Ack(1)));
        assertInstanceOf(ReadTransfer.Ignore.class, t.onPacket(new TftpPacket.Ack(0)));
        assertInstanceOf(ReadTransfer.Ignore.class, t.onPacket(new TftpPacket.Ack(7)), "a block not sent yet");
        assertEquals(3, only(t.onPacket(new TftpPacket.Ack(2))).block());
    }

    @Test
    void timeoutRetransmitsWithBackoffThenGivesUp() {
        byte[] file = random(3000);
        ReadTransfer t = new ReadTransfer(Negotiation.plain(), TransferMode.OCTET, bytes(file), LIMITS);
        ReadTransfer.Send first = send(t.start());
        assertEquals(Duration.ofSeconds(1), first.timeout());
        List<Duration> waits = new java.util.ArrayList<>();
        for (int i = 0; i < LIMITS.maxRetransmits(); i++) {
            ReadTransfer.Send again = send(t.onTimeout());
            assertEquals(first.packets(), again.packets(), "the same block again");
            waits.add(again.timeout());
        }
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(8),
                Duration.ofSeconds(8)), waits);
        ReadTransfer.End end = assertInstanceOf(ReadTransfer.End.class, t.onTimeout());
        assertEquals(ReadTransfer.Outcome.TIMED_OUT, end.outcome());
        assertInstanceOf(ReadTransfer.Ignore.class, t.onPacket(new TftpPacket.Ack(1)));
    }

    @Test
    void progressResetsTheRetryCount() {
        byte[] file = random(512 * 20);
        ReadTransfer t = new ReadTransfer(Negotiation.plain(), TransferMode.OCTET, bytes(file), LIMITS);
        t.start();
        for (int block = 1; block <= 20; block++) {
            for (int i = 0; i < LIMITS.maxRetransmits(); i++) {
                assertEquals(block, only(t.onTimeout()).block());
            }
            t.onPacket(new TftpPacket.Ack(block));
        }
        assertTrue(!t.isDone());
    }

    @Test
    void missingFinalAckIsNotAnError() {
        ReadTransfer t = new ReadTransfer(Negotiation.plain(), TransferMode.OCTET, bytes(random(10)), LIMITS);
        t.start();
        ReadTransfer.Action a = null;
        for (int i = 0; i <= LIMITS.maxRetransmits(); i++) {
            a = t.onTimeout();
        }
        assertEquals(ReadTransfer.Outcome.LAST_ACK_MISSING, assertInstanceOf(ReadTransfer.End.class, a).outcome());
    }

    @Test
    void optionsGoFirstInAnOackAndAck0StartsTheData() {
        byte[] file = random(4000);
        Negotiation n = Negotiation.of(Map.of("blksize", "1468", "tsize", "0", "timeout", "3"), TransferMode.OCTET, file.length, LIMITS);
        ReadTransfer t = new ReadTransfer(n, TransferMode.OCTET, bytes(file), LIMITS);
        ReadTransfer.Send oack = send(t.start());
        TftpPacket.OptionAck o = assertInstanceOf(TftpPacket.OptionAck.class, oack.packets().get(0));
        assertEquals("4000", o.options().get("tsize"));
        assertEquals(Duration.ofSeconds(3), oack.timeout(), "the client's timeout, not the backoff");
        assertInstanceOf(TftpPacket.OptionAck.class, send(t.onTimeout()).packets().get(0), "OACK retransmitted");
        assertInstanceOf(ReadTransfer.Ignore.class, t.onPacket(new TftpPacket.Ack(1)));
        TftpPacket.Data d = only(t.onPacket(new TftpPacket.Ack(0)));
        assertEquals(1, d.block());
        assertEquals(1468, d.payload().length);
    }

    @Test
    void clientErrorEndsSilently() {
        ReadTransfer t = new ReadTransfer(Negotiation.of(Map.of("blksize", "9"), TransferMode.OCTET, 10, LIMITS), TransferMode.OCTET,
                bytes(random(10)), LIMITS);
        t.start();
        ReadTransfer.End end = assertInstanceOf(ReadTransfer.End.class,
                t.onPacket(new TftpPacket.Error(TftpErrorCode.OPTION_REFUSED, "no thanks")));
        assertEquals(ReadTransfer.Outcome.CLIENT_ERROR, end.outcome());
        assertNull(end.reply(), "never answer an ERROR");
    }

    @Test
    void dataFromTheClientIsAnIllegalOperation() {
        ReadTransfer t = new ReadTransfer(Negotiation.plain(), TransferMode.OCTET, bytes(random(10)), LIMITS);
        t.start();
        ReadTransfer.End end = assertInstanceOf(ReadTransfer.End.class, t.onPacket(new TftpPacket.Data(1, new byte[3])));
        assertEquals(ReadTransfer.Outcome.ILLEGAL, end.outcome());
        assertEquals(TftpErrorCode.ILLEGAL_OPERATION, assertInstanceOf(TftpPacket.Error.class, end.reply()).kind());
    }

    @Test
    void readErrorEndsWithError0() {
        ReadTransfer t = new ReadTransfer(Negotiation.plain(), TransferMode.OCTET, (p, d, o, l) -> {
            throw new IOException("EIO");
        }, LIMITS);
        ReadTransfer.End end = assertInstanceOf(ReadTransfer.End.class, t.start());
        assertEquals(ReadTransfer.Outcome.READ_ERROR, end.outcome());
        assertEquals(TftpErrorCode.NOT_DEFINED, ((TftpPacket.Error) end.reply()).kind());
    }

    @Test
    void blockNumbersWrapFrom65535ToZero() {
        // 70 000 blocks of 8 bytes + 3: crosses the 16-bit boundary
        byte[] file = random(70_000 * 8 + 3);
        Negotiation n = Negotiation.of(Map.of("blksize", "8"), TransferMode.OCTET, file.length, LIMITS);
        ReadTransfer t = new ReadTransfer(n, TransferMode.OCTET, bytes(file), LIMITS);
        List<Integer> blocks = new java.util.ArrayList<>();
        ReadTransfer.Send oack = send(t.start());
        assertInstanceOf(TftpPacket.OptionAck.class, oack.packets().get(0));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ReadTransfer.Action a = t.onPacket(new TftpPacket.Ack(0));
        while (a instanceof ReadTransfer.Send s) {
            TftpPacket.Data d = (TftpPacket.Data) s.packets().get(0);
            blocks.add(d.block());
            got.writeBytes(d.payload());
            a = t.onPacket(new TftpPacket.Ack(d.block()));
        }
        assertEquals(ReadTransfer.Outcome.COMPLETE, ((ReadTransfer.End) a).outcome());
        assertArrayEquals(file, got.toByteArray());
        assertEquals(65535, blocks.get(65534));
        assertEquals(0, blocks.get(65535), "after 65535 comes 0");
        assertEquals(1, blocks.get(65536));
    }

    @Test
    void windowSendsSeveralBlocksAndResumesAfterAPartialAck() {
        byte[] file = random(512 * 10 + 100);
        Negotiation n = Negotiation.of(Map.of("windowsize", "4"), TransferMode.OCTET, file.length, LIMITS);
        ReadTransfer t = new ReadTransfer(n, TransferMode.OCTET, bytes(file), LIMITS);
        send(t.start()); // OACK
        List<TftpPacket> w1 = send(t.onPacket(new TftpPacket.Ack(0))).packets();
        assertEquals(List.of(1, 2, 3, 4), w1.stream().map(p -> ((TftpPacket.Data) p).block()).toList());
        // the client lost block 3: it acknowledges 2, sending resumes at 3
        List<TftpPacket> w2 = send(t.onPacket(new TftpPacket.Ack(2))).packets();
        assertEquals(List.of(3, 4, 5, 6), w2.stream().map(p -> ((TftpPacket.Data) p).block()).toList());
        assertInstanceOf(ReadTransfer.Ignore.class, t.onPacket(new TftpPacket.Ack(2)), "duplicate");
        List<Integer> blocks = new java.util.ArrayList<>();
        ReadTransfer.Action a = t.onPacket(new TftpPacket.Ack(6));
        while (a instanceof ReadTransfer.Send s) {
            int last = 0;
            for (TftpPacket p : s.packets()) {
                last = ((TftpPacket.Data) p).block();
                blocks.add(last);
            }
            a = t.onPacket(new TftpPacket.Ack(last));
        }
        assertEquals(List.of(7, 8, 9, 10, 11), blocks, "the window stops at the short final block");
        assertEquals(ReadTransfer.Outcome.COMPLETE, ((ReadTransfer.End) a).outcome());
    }

    @Test
    void windowedDownloadDeliversTheFile() {
        byte[] file = random(1468 * 37);
        Negotiation n = Negotiation.of(Map.of("windowsize", "8", "blksize", "1468"), TransferMode.OCTET, file.length, LIMITS);
        ReadTransfer t = new ReadTransfer(n, TransferMode.OCTET, bytes(file), LIMITS);
        ReadTransfer.Send oack = send(t.start());
        assertInstanceOf(TftpPacket.OptionAck.class, oack.packets().get(0));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ReadTransfer.Action a = t.onPacket(new TftpPacket.Ack(0));
        while (a instanceof ReadTransfer.Send s) {
            int last = 0;
            for (TftpPacket p : s.packets()) {
                got.writeBytes(((TftpPacket.Data) p).payload());
                last = ((TftpPacket.Data) p).block();
            }
            a = t.onPacket(new TftpPacket.Ack(last));
        }
        assertArrayEquals(file, got.toByteArray());
    }

    @Test
    void netasciiConvertsLineEndsAcrossBlocks() {
        // 511 'a' then LF: the CR fills block 1, the LF is carried to block 2
        String text = "a".repeat(511) + "\n" + "b\rc\n";
        ReadTransfer t = new ReadTransfer(Negotiation.plain(), TransferMode.NETASCII,
                bytes(text.getBytes(StandardCharsets.US_ASCII)), LIMITS);
        List<Integer> blocks = new java.util.ArrayList<>();
        byte[] got = download(t, blocks);
        String expected = "a".repeat(511) + "\r\n" + "b\r\0c\r\n";
        assertEquals(expected, new String(got, StandardCharsets.ISO_8859_1));
        assertEquals(List.of(1, 2), blocks);
    }

    @Test
    void netasciiRetransmissionRepeatsTheSameBlock() {
        String text = "line\n".repeat(300);
        ReadTransfer t = new ReadTransfer(Negotiation.plain(), TransferMode.NETASCII,
                bytes(text.getBytes(StandardCharsets.US_ASCII)), LIMITS);
        TftpPacket.Data b1 = only(t.start());
        TftpPacket.Data b2 = only(t.onPacket(new TftpPacket.Ack(1)));
        assertEquals(b2, only(t.onTimeout()));
        TftpPacket.Data b3 = only(t.onPacket(new TftpPacket.Ack(2)));
        String all = new String(b1.payload(), StandardCharsets.ISO_8859_1) + new String(b2.payload(), StandardCharsets.ISO_8859_1)
                + new String(b3.payload(), StandardCharsets.ISO_8859_1);
        assertEquals("line\r\n".repeat(300).substring(0, all.length()), all);
    }

    @Test
    void exactMultipleDownloadsMatch() {
        for (int size : new int[] {0, 1, 511, 512, 513, 1024, 1468 * 3}) {
            byte[] file = random(size);
            ReadTransfer t = new ReadTransfer(Negotiation.plain(), TransferMode.OCTET, bytes(file), LIMITS);
            List<Integer> blocks = new java.util.ArrayList<>();
            assertArrayEquals(file, download(t, blocks), "size " + size);
            assertEquals(size / 512 + 1, blocks.size(), "size " + size);
        }
    }
}
