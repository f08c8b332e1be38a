package org.vnetd.core.dns;

import java.util.Optional;

/**
 * A client's query as the engine sees it: header bits that matter, the single question, and EDNS
 * if the client sent an OPT record. {@code overTcp} lifts the 512-byte UDP limit.
 */
public record DnsQuery(int id, int opcode, boolean recursionDesired, DnsQuestion question, Optional<Edns> edns,
                       boolean overTcp) {
    public static final int OPCODE_QUERY = 0;

    public static DnsQuery udp(int id, DnsQuestion question) {
        return new DnsQuery(id, OPCODE_QUERY, true, question, Optional.empty(), false);
    }

    /** The largest response the client accepts on this transport. */
    public int maxResponseSize() {
        if (overTcp) {
            return 65535;
        }
        return edns.map(Edns::udpPayloadSize).orElse(Edns.DEFAULT_UDP_LIMIT);
    }
}
