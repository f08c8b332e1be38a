package org.vnetd.core.dns;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Upstream answers kept as bytes for as long as their TTL allows (the smallest TTL in the message,
 * or for NXDOMAIN/NODATA the SOA's negative TTL, RFC 2308), at most {@code maxEntries}, least
 * recently used out first. A hit comes back with its TTLs lowered by the time it spent here.
 * TTLs are capped at {@code maxTtlSeconds} so a wrong upstream cannot pin an answer for weeks.
 */
public final class ResponseCache {
    /** What makes two questions share an answer: EDNS and the DO bit change what upstream sends. */
    public record Key(DnsName name, int type, int dnsClass, boolean edns, boolean dnssecOk) {
        public static Key of(DnsQuery q) {
            return new Key(q.question().name(), q.question().type(), q.question().dnsClass(), q.edns().isPresent(),
                    q.edns().map(Edns::dnssecOk).orElse(false));
        }
    }

    private record Cached(byte[] message, int[] ttlOffsets, int questionEnd, long storedNanos, long expiresNanos) {
    }

    private final int maxEntries;
    private final long maxTtlSeconds;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<Key, Cached> entries;

    public ResponseCache(int maxEntries, long maxTtlSeconds, LongSupplier nanoClock) {
        this.maxEntries = maxEntries;
        this.maxTtlSeconds = maxTtlSeconds;
        this.nanoClock = nanoClock;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
                return size() > ResponseCache.this.maxEntries;
            }
        };
    }

    /** Stores {@code response} if it may be cached; returns whether it was. Malformed responses are not. */
    public synchronized boolean put(Key key, byte[] response) {
        DnsWire.Layout layout;
        try {
            layout = DnsWire.scan(response);
        } catch (RuntimeException e) {
            return false;
        }
        long ttl = Math.min(layout.cacheTtl(), maxTtlSeconds);
        if (ttl <= 0 || maxEntries <= 0) {
            return false;
        }
        long now = nanoClock.getAsLong();
        entries.put(key, new Cached(response.clone(), layout.ttlOffsets(), layout.questionEnd(), now, now + ttl * 1_000_000_000L));
        return true;
    }

    /**
     * A copy of the cached answer for {@code query}: its id, the client's spelling of the name,
     * TTLs aged, and cut to header plus question with TC set when larger than the client accepts.
     */
    public synchronized Optional<byte[]> get(DnsQuery query) {
        Key key = Key.of(query);
        Cached e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        long now = nanoClock.getAsLong();
        if (now - e.expiresNanos >= 0) {
            entries.remove(key);
            return Optional.empty();
        }
        byte[] m = e.message.clone();
        DnsWire.age(m, e.ttlOffsets, (now - e.storedNanos) / 1_000_000_000L);
        DnsWire.setId(m, query.id());
        DnsWire.restoreQuestionCase(m, query.question().name());
        if (m.length > query.maxResponseSize()) {
            m = DnsWire.truncate(m, e.questionEnd);
        }
        return Optional.of(m);
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized void clear() {
        entries.clear();
    }
}
