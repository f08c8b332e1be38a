package org.vnetd.core.link;

/**
 * A change the kernel announced. Netlink does not distinguish "created" from "changed" for links, so
 * both arrive as {@link LinkUpdated}; {@link Overrun} means events were lost (the socket buffer filled)
 * and the listener must re-read the state it cares about.
 */
public sealed interface LinkEvent {
    record LinkUpdated(LinkInfo link) implements LinkEvent {
    }

    record LinkDeleted(LinkInfo link) implements LinkEvent {
    }

    record AddressAdded(AddressInfo address) implements LinkEvent {
    }

    record AddressDeleted(AddressInfo address) implements LinkEvent {
    }

    record Overrun() implements LinkEvent {
    }
}
