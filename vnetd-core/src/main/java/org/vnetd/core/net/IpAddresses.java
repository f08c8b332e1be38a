package org.vnetd.core.net;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** Literal IP address parsing and arithmetic without DNS: a name is never resolved. */
public final class IpAddresses {
    private IpAddresses() {
    }

    /** Parses an IPv4 or IPv6 literal; anything else (including host names) is refused. */
    public static InetAddress parse(String literal) {
        String s = literal.trim();
        try {
            if (s.indexOf(':') >= 0) {
                if (!s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    throw bad(literal);
                }
                return InetAddress.getByName(s.startsWith("[") ? s : s);
            }
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                throw bad(literal);
            }
            byte[] raw = new byte[4];
            for (int i = 0; i < 4; i++) {
                String p = parts[i];
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                    throw bad(literal);
                }
                int v = Integer.parseInt(p);
                if (v > 255) {
                    throw bad(literal);
                }
                raw[i] = (byte) v;
            }
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw bad(literal);
        }
    }

    public static boolean isValid(String literal) {
        try {
            parse(literal);
            return true;
        } catch (VnetException e) {
            return false;
        }
    }

    private static VnetException bad(String literal) {
        return VnetException.of(ErrorCode.XML_VALIDATION, "invalid IP address '%s'", literal);
    }

    public static BigInteger toBigInteger(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    public static InetAddress fromBigInteger(BigInteger v, boolean ipv4) {
        int len = ipv4 ? 4 : 16;
        byte[] raw = new byte[len];
        byte[] b = v.toByteArray();
        for (int i = 0; i < Math.min(len, b.length); i++) {
            raw[len - 1 - i] = b[b.length - 1 - i];
        }
        return IpPrefix.byAddress(raw);
    }

    public static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    public static Inet4Address fromInt(int v) {
        return (Inet4Address) IpPrefix.byAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    /** Compact text form: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as ::). */
    public static String format(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            int[] w = new int[8];
            for (int i = 0; i < 8; i++) {
                w[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
            }
            int bestStart = -1;
            int bestLen = 1;
            for (int i = 0; i < 8; ) {
                if (w[i] == 0) {
                    int j = i;
                    while (j < 8 && w[j] == 0) {
                        j++;
                    }
                    if (j - i > bestLen) {
                        bestStart = i;
                        bestLen = j - i;
                    }
                    i = j;
                } else {
                    i++;
                }
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    sb.append("::");
                    i += bestLen - 1;
                    continue;
                }
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                    sb.append(':');
                }
                sb.append(Integer.toHexString(w[i]));
            }
            return sb.toString();
        }
        return a.getHostAddress();
    }
}
