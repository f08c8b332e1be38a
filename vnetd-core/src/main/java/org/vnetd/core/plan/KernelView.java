package org.vnetd.core.plan;

import java.util.List;
import java.util.Map;

import org.vnetd.core.net.IpPrefix;

/**
 * What the kernel holds right now, as far as starting a network cares: links by name (with their
 * kind, "" when none) and the routes of the main table. Read once before planning.
 */
public record KernelView(Map<String, String> links, List<Route> routes) {
    public record Route(IpPrefix destination, String device) {
    }

    public KernelView {
        links = Map.copyOf(links);
        routes = List.copyOf(routes);
    }

    public static KernelView empty() {
        return new KernelView(Map.of(), List.of());
    }

    public boolean hasLink(String name) {
        return links.containsKey(name);
    }
}
