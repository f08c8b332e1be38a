package org.vnetd.daemon.netlink;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.vnetd.core.link.KernelException;
import org.vnetd.core.link.LinkEvent;
import org.vnetd.core.link.LinkEventSource;
import org.vnetd.core.link.LinkEventStream;
import org.vnetd.core.link.LinkInfo;

/**
 * Link and address events from the RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR and RTNLGRP_IPV6_IFADDR multicast
 * groups, in the namespace of the thread that calls {@link #open()}.
 */
public final class NetlinkLinkEvents implements LinkEventSource {
    static final int GROUPS = (1 << (Nl.RTNLGRP_LINK - 1)) | (1 << (Nl.RTNLGRP_IPV4_IFADDR - 1))
            | (1 << (Nl.RTNLGRP_IPV6_IFADDR - 1));

    @Override
    public LinkEventStream open() {
        return new Stream(NetlinkSocket.open(GROUPS));
    }

    /** One subscribed socket; {@link #next} and {@link #close} are meant for one consumer thread. */
    private static final class Stream implements LinkEventStream {
        private final NetlinkSocket socket;
        private final Deque<LinkEvent> pending = new ArrayDeque<>();
        /** Names seen in link events, so address events and master indexes can be named without a lookup. */
        private final Map<Integer, String> names = new HashMap<>();

        Stream(NetlinkSocket socket) {
            this.socket = socket;
        }

        @Override
        public Optional<LinkEvent> next(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (pending.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                try {
                    for (NlMessage m : socket.poll((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)))) {
                        decode(m);
                    }
                } catch (KernelException e) {
                    if (e.errno() != Errno.ENOBUFS) {
                        throw e;
                    }
                    pending.add(new LinkEvent.Overrun());
                }
            }
            return Optional.of(pending.poll());
        }

        private void decode(NlMessage m) {
            switch (m.type()) {
                case Nl.RTM_NEWLINK -> {
                    LinkInfo l = RtParsers.link(m, names);
                    names.put(l.index(), l.name());
                    pending.add(new LinkEvent.LinkUpdated(l));
                }
                case Nl.RTM_DELLINK -> {
                    LinkInfo l = RtParsers.link(m, names);
                    names.remove(l.index());
                    pending.add(new LinkEvent.LinkDeleted(l));
                }
                case Nl.RTM_NEWADDR -> pending.add(new LinkEvent.AddressAdded(RtParsers.address(m, names)));
                case Nl.RTM_DELADDR -> pending.add(new LinkEvent.AddressDeleted(RtParsers.address(m, names)));
                case Nl.NLMSG_OVERRUN -> pending.add(new LinkEvent.Overrun());
                default -> {
                    // other rtnetlink types are not subscribed to; NOOPs carry nothing
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
