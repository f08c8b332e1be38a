package org.vnetd.core.tftp;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A TFTP packet (RFC 1350, option extension RFC 2347). Block numbers are the 16-bit values of the
 * wire; option names are kept lower-case (RFC 2347: case-insensitive), in the client's order.
 */
public sealed interface TftpPacket {
    int RRQ = 1;
    int WRQ = 2;
    int DATA = 3;
    int ACK = 4;
    int ERROR = 5;
    int OACK = 6;

    /** The opcode on the wire. */
    int opcode();

    /** RRQ or WRQ: the two packets that open a transfer on port 69. */
    sealed interface Request extends TftpPacket {
        String filename();

        TransferMode mode();

        Map<String, String> options();
    }

    record ReadRequest(String filename, TransferMode mode, Map<String, String> options) implements Request {
        public ReadRequest {
            Objects.requireNonNull(filename);
            Objects.requireNonNull(mode);
            options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
        }

        public int opcode() {
            return RRQ;
        }
    }

    record WriteRequest(String filename, TransferMode mode, Map<String, String> options) implements Request {
        public WriteRequest {
            Objects.requireNonNull(filename);
            Objects.requireNonNull(mode);
            options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
        }

        public int opcode() {
            return WRQ;
        }
    }

    /** DATA: {@code payload} is 0..blksize bytes; a payload shorter than the block size ends the transfer. */
    record Data(int block, byte[] payload) implements TftpPacket {
        public Data {
            checkBlock(block);
            Objects.requireNonNull(payload);
        }

        public int opcode() {
            return DATA;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && d.block == block && Arrays.equals(d.payload, payload);
        }

        @Override
        public int hashCode() {
            return 31 * block + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Data[block=" + block + ", " + payload.length + " bytes]";
        }
    }

    record Ack(int block) implements TftpPacket {
        public Ack {
            checkBlock(block);
        }

        public int opcode() {
            return ACK;
        }
    }

    /** ERROR; {@code code} is the wire number (any 16-bit value may arrive), {@link #kind()} its meaning. */
    record Error(int code, String message) implements TftpPacket {
        public Error {
            checkBlock(code);
            Objects.requireNonNull(message);
        }

        public Error(TftpErrorCode code, String message) {
            this(code.code(), message);
        }

        public TftpErrorCode kind() {
            return TftpErrorCode.of(code);
        }

        public int opcode() {
            return ERROR;
        }
    }

    /** OACK (RFC 2347): the options the server accepted, with the values it will use. */
    record OptionAck(Map<String, String> options) implements TftpPacket {
        public OptionAck {
            options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
        }

        public int opcode() {
            return OACK;
        }
    }

    private static void checkBlock(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("16-bit field out of range: " + v);
        }
    }
}
