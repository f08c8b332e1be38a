package org.vnetd.core.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.vnetd.core.net.IpAddresses;

/**
 * The {@code nameserver} lines of resolv.conf(5). Other lines are ignored, as are entries that
 * are not IP literals (glibc ignores them too); an IPv6 zone suffix ({@code %eth0}) is dropped.
 */
public final class ResolvConf {
    private ResolvConf() {
    }

    public static List<InetSocketAddress> parse(String text) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (!line.startsWith("nameserver")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length < 2 || !parts[0].equals("nameserver")) {
                continue;
            }
            String addr = parts[1];
            int pct = addr.indexOf('%');
            if (pct >= 0) {
                addr = addr.substring(0, pct);
            }
            if (IpAddresses.isValid(addr)) {
                InetAddress a = IpAddresses.parse(addr);
                InetSocketAddress s = new InetSocketAddress(a, DnsConfig.DNS_PORT);
                if (!out.contains(s)) {
                    out.add(s);
                }
            }
        }
        return List.copyOf(out);
    }
}
