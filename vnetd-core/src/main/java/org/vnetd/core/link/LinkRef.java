package org.vnetd.core.link;

/**
 * What a per-port hot path needs of a link: its ifindex (which the kernel never gives to another link
 * while this one exists, so it addresses exactly this device), its name (for messages) and its MTU.
 */
public record LinkRef(int index, String name, int mtu) {
    public LinkRef {
        if (index <= 0) {
            throw new IllegalArgumentException("link '" + name + "' has no ifindex (" + index + ")");
        }
    }
}
