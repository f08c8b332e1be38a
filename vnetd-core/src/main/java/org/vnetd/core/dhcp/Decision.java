package org.vnetd.core.dhcp;

/**
 * What the server does with one message: reply (offer, ack, nak) to a {@link ReplyTarget}, or stay
 * silent for a stated reason. Replies carry the encoded-ready message and the client's size limit.
 */
public sealed interface Decision {
    record Offer(DhcpMessage reply, ReplyTarget target, int maxMessageSize) implements Decision {
    }

    /** {@code lease} is null for the ACK to an INFORM. */
    record Ack(DhcpMessage reply, ReplyTarget target, int maxMessageSize, DhcpLease lease) implements Decision {
    }

    record Nak(DhcpMessage reply, ReplyTarget target, String why) implements Decision {
    }

    record Ignore(IgnoreReason reason, String detail) implements Decision {
    }

    enum IgnoreReason {
        /** Not a well-formed BOOTREQUEST/DHCP message (malformed, BOOTREPLY, no message type). */
        MALFORMED,
        /** A message type a server does not act on (OFFER, ACK, unknown...). */
        UNSUPPORTED_TYPE,
        /** Meant for another server, or relayed from another subnet. */
        NOT_FOR_US,
        /** The pool has no free address for this client. */
        POOL_EXHAUSTED,
        /** RELEASE handled (no reply by protocol). */
        RELEASED,
        /** DECLINE handled (no reply by protocol). */
        DECLINED,
        /** A REQUEST/RELEASE/DECLINE the server has no business answering (RFC 2131: stay silent). */
        NO_BINDING
    }
}
