package org.vnetd.core.dhcp;

/**
 * DHCP message type (option 53), an open enum: known codes have a name, unknown codes survive a
 * round trip as {@code Unknown(n)}, compared by {@link #code()}.
 */
public record DhcpMessageType(int code) {
    public static final DhcpMessageType DISCOVER = new DhcpMessageType(1);
    public static final DhcpMessageType OFFER = new DhcpMessageType(2);
    public static final DhcpMessageType REQUEST = new DhcpMessageType(3);
    public static final DhcpMessageType DECLINE = new DhcpMessageType(4);
    public static final DhcpMessageType ACK = new DhcpMessageType(5);
    public static final DhcpMessageType NAK = new DhcpMessageType(6);
    public static final DhcpMessageType RELEASE = new DhcpMessageType(7);
    public static final DhcpMessageType INFORM = new DhcpMessageType(8);

    private static final String[] NAMES = {"Unknown", "DHCPDISCOVER", "DHCPOFFER", "DHCPREQUEST", "DHCPDECLINE",
        "DHCPACK", "DHCPNAK", "DHCPRELEASE", "DHCPINFORM"};

    public DhcpMessageType {
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("message type out of range: " + code);
        }
    }

    public static DhcpMessageType valueOf(int code) {
        return new DhcpMessageType(code);
    }

    public boolean isKnown() {
        return code >= 1 && code < NAMES.length;
    }

    @Override
    public String toString() {
        return (isKnown() ? NAMES[code] : "Unknown") + "(" + code + ")";
    }
}
