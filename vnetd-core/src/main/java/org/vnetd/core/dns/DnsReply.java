package org.vnetd.core.dns;

import java.util.List;

/**
 * A locally made answer (the daemon adds the id and echoes the question). {@link #fit} keeps it
 * within the client's size limit: an answer that does not fit is sent empty with TC set, so the
 * client retries over TCP (RFC 1035 4.2.1, RFC 7766).
 */
public record DnsReply(int rcode, boolean authoritative, boolean truncated, List<ResourceRecord> answers,
                       List<ResourceRecord> authority) {
    private static final int HEADER = 12;

    public DnsReply {
        answers = List.copyOf(answers);
        authority = List.copyOf(authority);
    }

    public static DnsReply error(int rcode) {
        return new DnsReply(rcode, false, false, List.of(), List.of());
    }

    public static DnsReply authoritative(int rcode, List<ResourceRecord> answers, List<ResourceRecord> authority) {
        return new DnsReply(rcode, true, false, answers, authority);
    }

    /** Size on the wire, names uncompressed, plus {@code extra} bytes (the OPT record the daemon adds). */
    public int wireSize(DnsQuestion question, int extra) {
        int n = HEADER + question.wireLength() + extra;
        for (ResourceRecord r : answers) {
            n += r.wireLength();
        }
        for (ResourceRecord r : authority) {
            n += r.wireLength();
        }
        return n;
    }

    public DnsReply fit(DnsQuestion question, int limit, int extra) {
        if (wireSize(question, extra) <= limit) {
            return this;
        }
        return new DnsReply(rcode, authoritative, true, List.of(), List.of());
    }
}
