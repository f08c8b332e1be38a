package org.vnetd.core.link;

import java.util.List;

/**
 * A sysctl path as segments, so interface names containing dots ({@code eth0.100}) stay one segment:
 * {@code net.ipv6.conf.<if>.disable_ipv6} is {@code SysctlKey.ofInterface("ipv6", "eth0.100", "disable_ipv6")}.
 */
public record SysctlKey(List<String> segments) {
    public SysctlKey {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("empty sysctl key");
        }
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid sysctl key segment '" + s + "' in " + segments);
            }
        }
    }

    /** Parses the dotted form, e.g. {@code net.ipv4.ip_forward} (for keys without dotted names inside). */
    public static SysctlKey parse(String dotted) {
        return new SysctlKey(List.of(dotted.split("\\.", -1)));
    }

    /** {@code net.<family>.conf.<ifname>.<setting>}. */
    public static SysctlKey ofInterface(String family, String ifname, String setting) {
        LinkNames.check(ifname);
        return new SysctlKey(List.of("net", family, "conf", ifname, setting));
    }

    @Override
    public String toString() {
        return String.join(".", segments);
    }
}
