package org.vnetd.core.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code network.serviceStats} returns (docs/rpc.md {@code ServiceStats}): the counters of a running
 * network's guest services since each started. A section is left out when its service does not run (an
 * inactive network has none). Every datagram a server read is counted once: answered, malformed or ignored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceStats(String network, Dhcp dhcp, Dhcp6 dhcp6, RouterAdvertisements ra) {
    /**
     * The DHCPv4 server: datagrams {@code received}, those dropped as {@code malformed} (refused by the codec,
     * or not a well-formed request: a BOOTREPLY, no message type, no client identifier…), well-formed ones {@code ignored} (not answered: not for this server, no free
     * address, a release or decline, which get no answer by protocol), and the answers sent.
     */
    public record Dhcp(long received, long malformed, long ignored, long offers, long acks, long naks) {
    }

    /** The DHCPv6 server: datagrams received, dropped as malformed (oversize, refused by the codec), ignored. */
    public record Dhcp6(long received, long malformed, long ignored) {
    }

    /**
     * The router advertisements of the bridge: multicast advertisements sent and sends that failed; router
     * solicitations answered (each by the next multicast advertisement, brought forward), of them the
     * rate-limited ones (sharing an advertisement already brought forward, or held back by RFC 4861's
     * 3 s between multicast advertisements), and those dropped: malformed (refused by the codec), invalid
     * (hop limit not 255, a link-layer option from {@code ::}), or lost to a full receive queue before
     * they were read ({@code solicitationsOverflowed}, as the socket reported with the last one read).
     */
    public record RouterAdvertisements(long advertisementsSent, long sendFailures, long solicitationsAnswered,
            long solicitationsRateLimited, long solicitationsMalformed, long solicitationsInvalid, long solicitationsOverflowed) {
    }
}
