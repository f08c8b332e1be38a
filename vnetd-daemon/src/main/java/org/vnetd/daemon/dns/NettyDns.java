package org.vnetd.daemon.dns;

import java.util.Optional;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.AbstractDnsOptPseudoRrRecord;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import org.vnetd.core.dns.DnsName;
import org.vnetd.core.dns.DnsQuestion;
import org.vnetd.core.dns.DnsReply;
import org.vnetd.core.dns.Edns;
import org.vnetd.core.dns.ResourceRecord;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** Converts between netty's DNS messages and the engine's records; nothing else. */
final class NettyDns {
    /** What we accept over UDP and say in our OPT record: the DNS flag day 2020 value, safe from fragmentation. */
    static final int OUR_UDP_PAYLOAD = 1232;
    /** An OPT record without options on the wire. */
    static final int OPT_RECORD_SIZE = 11;

    private NettyDns() {
    }

    /** The engine's view of a decoded query; refuses queries without exactly one question. */
    static org.vnetd.core.dns.DnsQuery toCore(DnsQuery q, boolean overTcp) {
        if (q.count(DnsSection.QUESTION) != 1) {
            throw VnetException.of(ErrorCode.DNS, "query %d has %d questions, not 1", q.id(), q.count(DnsSection.QUESTION));
        }
        io.netty.handler.codec.dns.DnsQuestion nq = q.recordAt(DnsSection.QUESTION, 0);
        DnsQuestion question = new DnsQuestion(DnsName.of(nq.name()), nq.type().intValue(), nq.dnsClass() & 0xFFFF);
        Optional<Edns> edns = Optional.empty();
        for (int i = 0, n = q.count(DnsSection.ADDITIONAL); i < n; i++) {
            DnsRecord r = q.recordAt(DnsSection.ADDITIONAL, i);
            if (r.type() == DnsRecordType.OPT) {
                // OPT reuses CLASS for the payload size and TTL for extended rcode, version and flags (RFC 6891 6.1.3)
                edns = Optional.of(new Edns(r.dnsClass() & 0xFFFF, (r.timeToLive() & 0x8000) != 0));
                break;
            }
        }
        return new org.vnetd.core.dns.DnsQuery(q.id(), q.opCode().byteValue() & 0xF, q.isRecursionDesired(), question,
                edns, overTcp);
    }

    /** Fills {@code out} (a fresh response with the query's id) from a local reply. */
    static <R extends DnsResponse> R fill(R out, org.vnetd.core.dns.DnsQuery q, DnsReply reply) {
        out.setOpCode(DnsOpCode.valueOf(q.opcode()));
        out.setCode(DnsResponseCode.valueOf(reply.rcode()));
        out.setAuthoritativeAnswer(reply.authoritative());
        out.setTruncated(reply.truncated());
        out.setRecursionDesired(q.recursionDesired());
        out.setRecursionAvailable(true);
        DnsQuestion question = q.question();
        out.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name(question.name()), DnsRecordType.valueOf(question.type()),
                question.dnsClass()));
        for (ResourceRecord r : reply.answers()) {
            out.addRecord(DnsSection.ANSWER, raw(r));
        }
        for (ResourceRecord r : reply.authority()) {
            out.addRecord(DnsSection.AUTHORITY, raw(r));
        }
        if (q.edns().isPresent()) {
            out.addRecord(DnsSection.ADDITIONAL, new OptRecord(OUR_UDP_PAYLOAD));
        }
        return out;
    }

    static int extraSize(org.vnetd.core.dns.DnsQuery q) {
        return q.edns().isPresent() ? OPT_RECORD_SIZE : 0;
    }

    private static DnsRecord raw(ResourceRecord r) {
        return new DefaultDnsRawRecord(name(r.name()), DnsRecordType.valueOf(r.type()), ResourceRecord.CLASS_IN, r.ttl(),
                Unpooled.wrappedBuffer(r.rdata().encode()));
    }

    private static String name(DnsName n) {
        return n.isRoot() ? "." : n.text() + ".";
    }

    /** Our OPT record: payload size only, no options (netty has no public plain implementation). */
    private static final class OptRecord extends AbstractDnsOptPseudoRrRecord {
        OptRecord(int payloadSize) {
            super(payloadSize);
        }
    }
}
