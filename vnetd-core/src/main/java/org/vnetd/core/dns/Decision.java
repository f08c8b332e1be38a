package org.vnetd.core.dns;

import java.net.InetSocketAddress;
import java.util.List;

/** What the engine decided to do with a query. */
public sealed interface Decision {
    /** Answer from local data (or refuse, or fail) right away. */
    record Answer(DnsReply reply) implements Decision {
    }

    /** Send these bytes, an upstream answer from the cache already adapted to this query. */
    record Cached(byte[] response) implements Decision {
    }

    /** Ask these upstream servers, in order; the answer goes back through {@link DnsEngine#upstreamAnswered}. */
    record Forward(List<InetSocketAddress> upstreams) implements Decision {
        public Forward {
            upstreams = List.copyOf(upstreams);
        }
    }
}
