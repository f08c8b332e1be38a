package org.vnetd.core.dhcp;

import java.net.Inet4Address;

/**
 * Where a reply goes (RFC 2131 section 4.1): to the relay's server port, to the client's address,
 * or to the link's broadcast (the client has no address yet, or asked for broadcast, or a NAK).
 */
public record ReplyTarget(Kind kind, Inet4Address address, int port) {
    public static final int SERVER_PORT = 67;
    public static final int CLIENT_PORT = 68;

    public enum Kind {
        RELAY, UNICAST, BROADCAST
    }

    public static ReplyTarget relay(Inet4Address giaddr) {
        return new ReplyTarget(Kind.RELAY, giaddr, SERVER_PORT);
    }

    public static ReplyTarget unicast(Inet4Address ciaddr) {
        return new ReplyTarget(Kind.UNICAST, ciaddr, CLIENT_PORT);
    }

    public static ReplyTarget broadcast() {
        return new ReplyTarget(Kind.BROADCAST, org.vnetd.core.net.IpAddresses.fromInt(-1), CLIENT_PORT);
    }
}
