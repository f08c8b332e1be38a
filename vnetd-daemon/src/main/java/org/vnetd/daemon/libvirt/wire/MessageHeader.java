package org.vnetd.daemon.libvirt.wire;

/**
 * libvirt's {@code virNetMessageHeader} (src/rpc/virnetprotocol.x): six 4-byte fields after the
 * length word. {@code program} and {@code version} are unsigned on the wire; ints here compare
 * correctly with the constants below.
 */
public record MessageHeader(int program, int version, int procedure, int type, int serial, int status) {
    /** The size of the header on the wire. */
    public static final int SIZE = 24;

    public static final int REMOTE_PROGRAM = 0x20008086;
    public static final int REMOTE_VERSION = 1;
    public static final int KEEPALIVE_PROGRAM = 0x6b656570;
    public static final int KEEPALIVE_VERSION = 1;
    public static final int KEEPALIVE_PING = 1;
    public static final int KEEPALIVE_PONG = 2;

    // virNetMessageType
    public static final int CALL = 0;
    public static final int REPLY = 1;
    public static final int MESSAGE = 2;
    public static final int STREAM = 3;
    public static final int CALL_WITH_FDS = 4;

    // virNetMessageStatus
    public static final int OK = 0;
    public static final int ERROR = 1;

    /** The successful reply to this call. */
    public MessageHeader reply() {
        return new MessageHeader(program, version, procedure, REPLY, serial, OK);
    }

    /** The error reply to this call. */
    public MessageHeader errorReply() {
        return new MessageHeader(program, version, procedure, REPLY, serial, ERROR);
    }

    /** An asynchronous message (keepalive, event) of a program. */
    public static MessageHeader message(int program, int version, int procedure) {
        return new MessageHeader(program, version, procedure, MESSAGE, 0, OK);
    }

    @Override
    public String toString() {
        return "prog=0x" + Integer.toHexString(program) + " vers=" + version + " proc=" + procedure + " type=" + type
                + " serial=" + Integer.toUnsignedString(serial) + " status=" + status;
    }
}
