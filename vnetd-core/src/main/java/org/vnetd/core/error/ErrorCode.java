package org.vnetd.core.error;

/**
 * Stable error codes. The RPC sends {@link #number()} on the wire and the CLI maps it to a message
 * and exit status, so numbers are never reused or renumbered; docs/rpc.md lists them.
 */
public enum ErrorCode {
    /** A bug or an unexpected condition inside vnetd. */
    INTERNAL(1),
    /** XML that is not well formed, or that breaks libvirt's grammar. */
    XML_PARSE(2),
    /** Well-formed definition whose values break a rule (range outside subnet, duplicate host…). */
    XML_VALIDATION(3),
    /** Input refused for safety before it was read: DTDs, entities, oversize. */
    XML_UNSAFE(4),
    NO_SUCH_NETWORK(10),
    NETWORK_EXISTS(11),
    NETWORK_ACTIVE(12),
    NETWORK_INACTIVE(13),
    CONFLICT(14),
    INVALID_ARGUMENT(15),
    OPERATION_UNSUPPORTED(16),
    NO_SUCH_PORT(17),
    /** A port with that uuid exists already (a second create of a client's port without reclaiming it). */
    PORT_EXISTS(18),
    /** A kernel call failed; the message carries errno and the kernel's text. */
    KERNEL(20),
    FIREWALL(21),
    DHCP(22),
    DNS(23),
    STATE_IO(24),
    /** The TFTP service of a network (libvirt's {@code <tftp root>}) cannot start, e.g. its root is missing. */
    TFTP(25),
    /** An OVSDB database of OVN or Open vSwitch refused a transaction or cannot be reached (docs/ovn.md). */
    OVN(26),
    PERMISSION_DENIED(30),
    RPC_PROTOCOL(31),
    RPC_UNKNOWN_METHOD(32);

    private final int number;

    ErrorCode(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public static ErrorCode ofNumber(int number) {
        for (ErrorCode c : values()) {
            if (c.number == number) {
                return c;
            }
        }
        return INTERNAL;
    }
}
