package org.vnetd.daemon.dns;

import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dns.Decision;
import org.vnetd.core.dns.DnsEngine;
import org.vnetd.core.dns.DnsQuery;
import org.vnetd.core.dns.DnsReply;
import org.vnetd.core.dns.DnsWire;
import org.vnetd.core.dns.ResponseCode;

/** Carries out the engine's decision for one query, whichever transport it came on. */
final class QueryProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(QueryProcessor.class);

    /** Where the answer to one query goes. */
    interface Reply {
        /** A locally made answer, already fitted to the client's size limit. */
        void local(DnsQuery query, DnsReply reply);

        /** An upstream answer as bytes, its id already the client's. */
        void raw(DnsQuery query, byte[] message);
    }

    private final DnsEngine engine;
    private final UpstreamClient upstream;
    private final DnsStats.Counters counters;

    QueryProcessor(DnsEngine engine, UpstreamClient upstream, DnsStats.Counters counters) {
        this.engine = engine;
        this.upstream = upstream;
        this.counters = counters;
    }

    void process(DnsQuery query, Reply reply) {
        counters.queries.increment();
        Decision d = engine.decide(query);
        switch (d) {
            case Decision.Answer a -> {
                counters.local.increment();
                reply.local(query, a.reply());
            }
            case Decision.Cached c -> {
                counters.cached.increment();
                reply.raw(query, c.response());
            }
            case Decision.Forward f -> {
                counters.forwarded.increment();
                CompletableFuture<byte[]> answer = upstream.query(query, f.upstreams());
                answer.whenComplete((bytes, err) -> {
                    if (err != null) {
                        counters.upstreamFailures.increment();
                        LOG.debug("forwarding {} failed: {}", query.question(), err.toString());
                        reply.local(query, DnsReply.error(ResponseCode.SERVFAIL));
                        return;
                    }
                    engine.upstreamAnswered(query, bytes);
                    byte[] m = bytes.clone();
                    DnsWire.setId(m, query.id());
                    DnsWire.restoreQuestionCase(m, query.question().name());
                    if (m.length > query.maxResponseSize()) {
                        m = DnsWire.truncate(m, DnsWire.scan(m).questionEnd());
                    }
                    reply.raw(query, m);
                });
            }
        }
    }
}
