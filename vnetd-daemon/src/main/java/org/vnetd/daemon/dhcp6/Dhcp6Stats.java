package org.vnetd.daemon.dhcp6;

/**
 * Counters of one DHCPv6 server: datagrams received, those dropped as malformed (oversize, or refused by
 * the codec) and the well-formed ones it did not answer (not for this server, no address to give, a
 * message a server does not answer; RFC 8415 §16).
 */
public record Dhcp6Stats(long received, long malformed, long ignored) {
}
