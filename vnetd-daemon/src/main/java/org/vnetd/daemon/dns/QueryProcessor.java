package org.vnetd.daemon.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dns.Decision;
import org.vnetd.core.dns.DnsEngine;
import org.vnetd.core.dns.DnsQuery;
import org.vnetd.core.dns.DnsReply;
import org.vnetd.core.dns.DnsWire;
import org.vnetd.core.dns.ResponseCache;
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
    private final Map<InFlightKey, List<Waiter>> inFlight = new ConcurrentHashMap<>();

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
            case Decision.Forward f -> forward(query, reply, f);
        }
    }

    /**
     * Sends the query upstream unless the same question is already on its way there, in which case
     * this client waits for that answer too (a hundred guests booting ask the same names at once).
     */
    private void forward(DnsQuery query, Reply reply, Decision.Forward f) {
        InFlightKey key = new InFlightKey(ResponseCache.Key.of(query), query.overTcp());
        Waiter me = new Waiter(query, reply);
        boolean[] first = {false};
        inFlight.compute(key, (k, waiters) -> {
            if (waiters == null) {
                first[0] = true;
                waiters = new ArrayList<>();
            }
            waiters.add(me);
            return waiters;
        });
        if (!first[0]) {
            counters.coalesced.increment();
            return;
        }
        counters.forwarded.increment();
        upstream.query(query, f.upstreams()).whenComplete((bytes, err) -> {
            List<Waiter> waiters = inFlight.remove(key);
            if (err == null) {
                engine.upstreamAnswered(query, bytes);
            } else {
                counters.upstreamFailures.increment();
                LOG.debug("forwarding {} failed: {}", query.question(), err.toString());
            }
            for (Waiter w : waiters) {
                if (err != null) {
                    w.reply().local(w.query(), DnsReply.error(ResponseCode.SERVFAIL));
                } else {
                    w.reply().raw(w.query(), adapt(bytes, w.query()));
                }
            }
        });
    }

    /** The upstream answer as this client must see it: its id, its spelling, its size limit. */
    private static byte[] adapt(byte[] answer, DnsQuery query) {
        byte[] m = answer.clone();
        DnsWire.setId(m, query.id());
        DnsWire.restoreQuestionCase(m, query.question().name());
        if (m.length > query.maxResponseSize()) {
            m = DnsWire.truncate(m, DnsWire.scan(m).questionEnd());
        }
        return m;
    }

    private record InFlightKey(ResponseCache.Key question, boolean overTcp) {
    }

    private record Waiter(DnsQuery query, Reply reply) {
    }
}
