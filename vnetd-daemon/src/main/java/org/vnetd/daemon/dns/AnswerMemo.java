package org.vnetd.daemon.dns;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.vnetd.core.dns.DnsQuery;
import org.vnetd.core.dns.DnsQuestion;
import org.vnetd.core.dns.DnsReply;
import org.vnetd.core.dns.DnsWire;

/**
 * Local answers as netty's encoder wrote them, reused for the next client that gets the same
 * answer: only the id, the RD bit and the spelling of the name differ. The engine's replies are
 * values, so a net-update or a new lease that changes an answer simply makes a different key.
 * Encoding objects per query cost more than everything else in the local path.
 */
final class AnswerMemo {
    private static final int MAX_ENTRIES = 4096;

    /** An answer, as fitted to the client's size limit, to a question, with or without EDNS. */
    record Key(DnsReply reply, DnsQuestion question, boolean edns, int opcode) {
        static Key of(DnsQuery query, DnsReply fitted) {
            return new Key(fitted, query.question(), query.edns().isPresent(), query.opcode());
        }
    }

    private final Map<Key, byte[]> encoded = new ConcurrentHashMap<>();

    Optional<byte[]> answer(Key key, DnsQuery query) {
        byte[] m = encoded.get(key);
        if (m == null) {
            return Optional.empty();
        }
        m = m.clone();
        DnsWire.setId(m, query.id());
        m[2] = (byte) ((m[2] & ~0x01) | (query.recursionDesired() ? 0x01 : 0));
        DnsWire.restoreQuestionCase(m, query.question().name());
        return Optional.of(m);
    }

    void remember(Key key, byte[] message) {
        if (encoded.size() >= MAX_ENTRIES) {
            // old zones' answers pile up here after many updates; starting afresh is cheap
            encoded.clear();
        }
        encoded.put(key, message);
    }

    int size() {
        return encoded.size();
    }
}
