package org.vnetd.core.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/** Addresses to and from their {@code in-addr.arpa} / {@code ip6.arpa} names (RFC 1035 3.5, RFC 3596 2.5). */
public final class ReverseNames {
    private static final DnsName IN_ADDR = DnsName.of("in-addr.arpa");
    private static final DnsName IP6 = DnsName.of("ip6.arpa");

    private ReverseNames() {
    }

    public static DnsName of(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder sb = new StringBuilder();
        if (address instanceof Inet4Address) {
            for (int i = 3; i >= 0; i--) {
                sb.append(b[i] & 0xFF).append('.');
            }
            return DnsName.of(sb.append("in-addr.arpa").toString());
        }
        for (int i = 15; i >= 0; i--) {
            sb.append(Character.forDigit(b[i] & 0xF, 16)).append('.').append(Character.forDigit((b[i] >> 4) & 0xF, 16)).append('.');
        }
        return DnsName.of(sb.append("ip6.arpa").toString());
    }

    public static boolean isReverse(DnsName name) {
        return name.isUnder(IN_ADDR) || name.isUnder(IP6);
    }

    /** The address a full reverse name stands for; empty for partial or malformed names. */
    public static Optional<InetAddress> parse(DnsName name) {
        List<String> labels = name.labels();
        try {
            if (name.isUnder(IN_ADDR) && labels.size() == 6) {
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    String l = labels.get(3 - i);
                    if (l.isEmpty() || l.length() > 3 || !l.chars().allMatch(Character::isDigit)) {
                        return Optional.empty();
                    }
                    int v = Integer.parseInt(l);
                    if (v > 255) {
                        return Optional.empty();
                    }
                    b[i] = (byte) v;
                }
                return Optional.of(InetAddress.getByAddress(b));
            }
            if (name.isUnder(IP6) && labels.size() == 34) {
                byte[] b = new byte[16];
                for (int i = 0; i < 32; i++) {
                    String l = labels.get(31 - i);
                    int v = l.length() == 1 ? Character.digit(l.charAt(0), 16) : -1;
                    if (v < 0) {
                        return Optional.empty();
                    }
                    b[i / 2] |= (byte) (i % 2 == 0 ? v << 4 : v);
                }
                return Optional.of(InetAddress.getByAddress(b));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
