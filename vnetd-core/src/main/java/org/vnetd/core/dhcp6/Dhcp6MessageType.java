package org.vnetd.core.dhcp6;

/**
 * DHCPv6 message type (RFC 8415 §7.3), an open enum: known codes have a name, unknown codes survive
 * a round trip, compared by {@link #code()}.
 */
public record Dhcp6MessageType(int code) {
    public static final Dhcp6MessageType SOLICIT = new Dhcp6MessageType(1);
    public static final Dhcp6MessageType ADVERTISE = new Dhcp6MessageType(2);
    public static final Dhcp6MessageType REQUEST = new Dhcp6MessageType(3);
    public static final Dhcp6MessageType CONFIRM = new Dhcp6MessageType(4);
    public static final Dhcp6MessageType RENEW = new Dhcp6MessageType(5);
    public static final Dhcp6MessageType REBIND = new Dhcp6MessageType(6);
    public static final Dhcp6MessageType REPLY = new Dhcp6MessageType(7);
    public static final Dhcp6MessageType RELEASE = new Dhcp6MessageType(8);
    public static final Dhcp6MessageType DECLINE = new Dhcp6MessageType(9);
    public static final Dhcp6MessageType RECONFIGURE = new Dhcp6MessageType(10);
    public static final Dhcp6MessageType INFORMATION_REQUEST = new Dhcp6MessageType(11);
    public static final Dhcp6MessageType RELAY_FORW = new Dhcp6MessageType(12);
    public static final Dhcp6MessageType RELAY_REPL = new Dhcp6MessageType(13);

    private static final String[] NAMES = {"Unknown", "SOLICIT", "ADVERTISE", "REQUEST", "CONFIRM", "RENEW", "REBIND",
        "REPLY", "RELEASE", "DECLINE", "RECONFIGURE", "INFORMATION-REQUEST", "RELAY-FORW", "RELAY-REPL"};

    public Dhcp6MessageType {
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("message type out of range: " + code);
        }
    }

    public static Dhcp6MessageType valueOf(int code) {
        return new Dhcp6MessageType(code);
    }

    public boolean isKnown() {
        return code >= 1 && code < NAMES.length;
    }

    @Override
    public String toString() {
        return (isKnown() ? NAMES[code] : "Unknown") + "(" + code + ")";
    }
}
