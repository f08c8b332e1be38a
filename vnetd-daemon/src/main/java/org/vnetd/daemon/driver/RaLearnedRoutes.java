package org.vnetd.daemon.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The interfaces that hold IPv6 routes the kernel learned from router advertisements (flag
 * {@code RTF_ADDRCONF} in {@code /proc/net/ipv6_route}, as libvirt's {@code virNetDevIPCheckIPv6Forwarding}
 * reads it). Turning forwarding on makes the kernel drop those routes and ignore later advertisements
 * on every such interface whose {@code accept_ra} is not 2: a host that takes its default route from
 * its uplink's advertisements loses IPv6 beyond its link.
 */
final class RaLearnedRoutes {
    static final int RTF_ADDRCONF = 0x00040000;
    private final Path table;

    RaLearnedRoutes(Path table) {
        this.table = table;
    }

    static RaLearnedRoutes ofKernel() {
        return new RaLearnedRoutes(Path.of("/proc/net/ipv6_route"));
    }

    /** The interfaces, in the table's order; none when the table cannot be read (no IPv6). */
    Set<String> interfaces() {
        if (!Files.isReadable(table)) {
            return Set.of();
        }
        try {
            return parse(Files.readString(table));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /**
     * Lines of ten fields: destination, its length, source, its length, next hop, metric, references,
     * use, flags (hex), interface.
     */
    static Set<String> parse(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10) {
                continue;
            }
            try {
                if ((Long.parseLong(f[8], 16) & RTF_ADDRCONF) != 0) {
                    out.add(f[9]);
                }
            } catch (NumberFormatException e) {
                // not a route line
            }
        }
        return out;
    }
}
