package org.vnetd.core.dns;

/**
 * What a client's OPT record (RFC 6891) says: the UDP payload it accepts and the DNSSEC-OK bit.
 * A payload below 512 is read as 512, as the RFC asks.
 */
public record Edns(int udpPayloadSize, boolean dnssecOk) {
    public static final int DEFAULT_UDP_LIMIT = 512;

    public Edns {
        udpPayloadSize = Math.max(DEFAULT_UDP_LIMIT, Math.min(udpPayloadSize, 65535));
    }
}
