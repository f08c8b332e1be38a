package org.vnetd.core.link;

/** Opens a {@link LinkEventStream} (RTNLGRP_LINK and the IPv4/IPv6 address groups). */
public interface LinkEventSource {
    LinkEventStream open();
}
