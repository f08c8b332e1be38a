package org.vnetd.core.tftp;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One read transfer seen from the server, as a state machine without I/O: the caller feeds it the
 * packets that arrive from the client's TID and the expiry of the timer it asked for, and carries out
 * the {@link Action} it returns (send these packets and re-arm the timer; do nothing; end).
 *
 * <p>Rules (RFC 1350, 2347, 2348, 2349, 7440):
 * <ul>
 *   <li>With options accepted, an OACK goes first and ACK 0 starts the data; without, DATA 1 answers
 *       the request directly.</li>
 *   <li>Only a timeout retransmits. An ACK that acknowledges nothing new (a duplicate, an old block,
 *       a block not yet sent) is ignored: answering duplicates would double every later packet, the
 *       "Sorcerer's Apprentice" bug of RFC 1350's first implementations (RFC 1123 4.2.3.1).</li>
 *   <li>The transfer ends after a block shorter than the block size is acknowledged; a file of
 *       exactly N blocks ends with an empty DATA N+1.</li>
 *   <li>Block numbers are 16 bits and wrap from 65535 to 0, as dnsmasq, tftp-hpa, busybox and curl
 *       count; internally blocks are counted in 64 bits, so files of any size go through.</li>
 *   <li>With a window of W (RFC 7440) up to W blocks are sent before waiting; an ACK inside the
 *       window means the client lost what follows, and sending resumes after it.</li>
 *   <li>After {@link TftpLimits#maxRetransmits()} retransmissions without progress the transfer is
 *       given up; an ERROR from the client ends it at once; any other packet is an illegal
 *       operation (ERROR 4).</li>
 * </ul>
 */
public final class ReadTransfer {
    /** What the caller does next. */
    public sealed interface Action {
    }

    /** Send {@code packets} in order, then (re)arm the timer for {@code timeout}. */
    public record Send(List<TftpPacket> packets, Duration timeout) implements Action {
        public Send {
            packets = List.copyOf(packets);
        }
    }

    /** Nothing to send; the timer keeps running. */
    public record Ignore(String why) implements Action {
    }

    /** The transfer is over: send {@code reply} if not null, then release everything. */
    public record End(Outcome outcome, TftpPacket reply, String detail) implements Action {
    }

    public enum Outcome {
        /** Every block acknowledged. */
        COMPLETE,
        /** Every block sent but the last ACK never came (some clients never send it; dnsmasq logs no error either). */
        LAST_ACK_MISSING,
        TIMED_OUT,
        /** The client sent an ERROR. */
        CLIENT_ERROR,
        /** The client sent something a read transfer does not allow. */
        ILLEGAL,
        /** The file could not be read. */
        READ_ERROR
    }

    private enum Phase { NEW, OACK, DATA, DONE }

    private final Negotiation negotiation;
    private final TransferMode mode;
    private final BlockSource source;
    private final TftpLimits limits;
    private Phase phase = Phase.NEW;
    /** Highest block acknowledged (0: none). */
    private long acked;
    /** Highest block sent. */
    private long sent;
    /** The last block of the file once it has been read, else -1. */
    private long finalBlock = -1;
    private int retransmits;
    /** Netascii: where block {@code acked + 1} starts, and where the one after it starts once made. */
    private NetasciiEncoder.Position netCurrent = NetasciiEncoder.Position.START;
    private NetasciiEncoder.Position netNext;
    private long bytesSent;

    public ReadTransfer(Negotiation negotiation, TransferMode mode, BlockSource source, TftpLimits limits) {
        this.negotiation = Objects.requireNonNull(negotiation);
        this.mode = Objects.requireNonNull(mode);
        this.source = Objects.requireNonNull(source);
        this.limits = Objects.requireNonNull(limits);
        if (mode == TransferMode.NETASCII && negotiation.windowSize() != 1) {
            throw new IllegalArgumentException("netascii transfers use a window of 1");
        }
    }

    /** The first packet(s): the OACK, or the first window of DATA. */
    public Action start() {
        if (phase != Phase.NEW) {
            throw new IllegalStateException("transfer already started");
        }
        if (!negotiation.oack().isEmpty()) {
            phase = Phase.OACK;
            return new Send(List.of(new TftpPacket.OptionAck(negotiation.oack())), waitTime());
        }
        phase = Phase.DATA;
        return sendWindow();
    }

    /** A packet from the client's TID. */
    public Action onPacket(TftpPacket p) {
        if (phase == Phase.DONE) {
            return new Ignore("transfer is over");
        }
        if (phase == Phase.NEW) {
            throw new IllegalStateException("transfer not started");
        }
        return switch (p) {
            case TftpPacket.Ack a -> onAck(a.block());
            case TftpPacket.Error e -> end(Outcome.CLIENT_ERROR, null,
                    "client sent error " + e.code() + " '" + TftpCodec.printable(e.message()) + "'");
            default -> end(Outcome.ILLEGAL, new TftpPacket.Error(TftpErrorCode.ILLEGAL_OPERATION,
                    "unexpected " + name(p) + " during a read transfer"), "client sent " + name(p));
        };
    }

    /** The timer armed by the last {@link Send} expired. */
    public Action onTimeout() {
        if (phase == Phase.DONE) {
            return new Ignore("transfer is over");
        }
        if (retransmits >= limits.maxRetransmits()) {
            if (phase == Phase.DATA && finalBlock >= 0 && sent == finalBlock && acked == finalBlock - 1) {
                return end(Outcome.LAST_ACK_MISSING, null, "no ACK for the final block " + finalBlock);
            }
            return end(Outcome.TIMED_OUT, null, "no ACK after " + retransmits + " retransmissions (last acknowledged block "
                    + acked + ")");
        }
        retransmits++;
        if (phase == Phase.OACK) {
            return new Send(List.of(new TftpPacket.OptionAck(negotiation.oack())), waitTime());
        }
        return sendWindow();
    }

    public boolean isDone() {
        return phase == Phase.DONE;
    }

    /** Payload bytes sent so far, retransmissions included. */
    public long bytesSent() {
        return bytesSent;
    }

    public Negotiation negotiation() {
        return negotiation;
    }

    private Action onAck(int block16) {
        if (phase == Phase.OACK) {
            if (block16 != 0) {
                return new Ignore("ACK " + block16 + " while waiting for ACK 0 of the OACK");
            }
            phase = Phase.DATA;
            retransmits = 0;
            return sendWindow();
        }
        // the only block numbers that make sense lie in (acked, sent]; map the 16-bit number there
        long abs = acked + ((block16 - (acked & 0xffff)) & 0xffff);
        if (abs == acked) {
            return new Ignore("duplicate ACK " + block16);
        }
        if (abs > sent) {
            return new Ignore("ACK " + block16 + " for a block not sent yet");
        }
        if (mode == TransferMode.NETASCII) {
            netCurrent = netNext; // window of one: abs == acked + 1
        }
        acked = abs;
        retransmits = 0;
        if (finalBlock >= 0 && acked == finalBlock) {
            return end(Outcome.COMPLETE, null, "sent " + finalBlock + " block(s)");
        }
        return sendWindow();
    }

    /** Blocks acked+1 .. acked+window, stopping after the final one. */
    private Action sendWindow() {
        List<TftpPacket> out = new ArrayList<>(negotiation.windowSize());
        long block = acked + 1;
        try {
            for (int i = 0; i < negotiation.windowSize(); i++, block++) {
                byte[] payload = payload(block);
                out.add(new TftpPacket.Data((int) (block & 0xffff), payload));
                bytesSent += payload.length;
                sent = Math.max(sent, block);
                if (payload.length < negotiation.blockSize()) {
                    finalBlock = block;
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            return end(Outcome.READ_ERROR, new TftpPacket.Error(TftpErrorCode.NOT_DEFINED, "cannot read the file"),
                    "reading block " + block + ": " + e.getMessage());
        }
        return new Send(out, waitTime());
    }

    private byte[] payload(long block) throws IOException {
        int size = negotiation.blockSize();
        if (mode == TransferMode.NETASCII) {
            NetasciiEncoder.Block b = NetasciiEncoder.block(source, netCurrent, size);
            netNext = b.next();
            return b.payload();
        }
        long offset = (block - 1) * size;
        byte[] buf = new byte[size];
        int n = 0;
        // a short read is the end of the file; read until full or the source says so
        while (n < size) {
            int r = source.read(offset + n, buf, n, size - n);
            if (r <= 0) {
                break;
            }
            n += r;
        }
        return n == size ? buf : java.util.Arrays.copyOf(buf, n);
    }

    private Duration waitTime() {
        if (negotiation.timeout() != null) {
            return negotiation.timeout();
        }
        Duration d = limits.firstTimeout().multipliedBy(1L << Math.min(retransmits, 16));
        return d.compareTo(limits.maxTimeout()) > 0 ? limits.maxTimeout() : d;
    }

    private End end(Outcome outcome, TftpPacket reply, String detail) {
        phase = Phase.DONE;
        return new End(outcome, reply, detail);
    }

    private static String name(TftpPacket p) {
        return switch (p) {
            case TftpPacket.ReadRequest r -> "RRQ";
            case TftpPacket.WriteRequest w -> "WRQ";
            case TftpPacket.Data d -> "DATA";
            case TftpPacket.Ack a -> "ACK";
            case TftpPacket.Error e -> "ERROR";
            case TftpPacket.OptionAck o -> "OACK";
        };
    }
}
