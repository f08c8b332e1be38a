package org.vnetd.core.dhcp6;

import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.vnetd.core.net.Octets;

/**
 * DHCPv6 client/server messages to bytes and back, nothing more (RFC 8415 §8, §21). Relay messages
 * are not decoded (vnetd serves its bridge's link, no relays); a short or inconsistent message is a
 * {@link MalformedDhcp6Exception} naming the offset. Options are nested at most two deep (IA_NA →
 * IAADDR → status), as RFC 8415 defines them.
 */
public final class Dhcp6Codec {
    /** The largest message vnetd decodes or builds; a DHCPv6 message is one UDP datagram within the link MTU. */
    public static final int MAX_MESSAGE = 1500;
    private static final int MAX_DEPTH = 3;

    private Dhcp6Codec() {
    }

    public static Dhcp6Message decode(byte[] data, int length) {
        if (length < 4) {
            throw new MalformedDhcp6Exception("DHCPv6 message of " + length + " bytes is shorter than its 4-byte header");
        }
        if (length > MAX_MESSAGE || length > data.length) {
            throw new MalformedDhcp6Exception("DHCPv6 message of " + length + " bytes is longer than " + MAX_MESSAGE);
        }
        Dhcp6MessageType type = Dhcp6MessageType.valueOf(data[0] & 0xff);
        if (type.equals(Dhcp6MessageType.RELAY_FORW) || type.equals(Dhcp6MessageType.RELAY_REPL)) {
            throw new MalformedDhcp6Exception("relay message " + type + " (vnetd serves its own link only)");
        }
        int xid = ((data[1] & 0xff) << 16) | ((data[2] & 0xff) << 8) | (data[3] & 0xff);
        return new Dhcp6Message(type, xid, options(ByteBuffer.wrap(data, 0, length), 4, length, 1));
    }

    private static List<Dhcp6Option> options(ByteBuffer b, int from, int to, int depth) {
        if (depth > MAX_DEPTH) {
            throw new MalformedDhcp6Exception("options nested deeper than " + MAX_DEPTH + " at offset " + from);
        }
        List<Dhcp6Option> out = new ArrayList<>();
        int at = from;
        while (at < to) {
            if (to - at < 4) {
                throw new MalformedDhcp6Exception("option header at offset " + at + " is cut off after " + (to - at) + " bytes");
            }
            int code = b.getShort(at) & 0xffff;
            int len = b.getShort(at + 2) & 0xffff;
            int start = at + 4;
            if (start + len > to) {
                throw new MalformedDhcp6Exception("option " + code + " at offset " + at + " claims " + len + " bytes but only "
                        + (to - start) + " remain");
            }
            out.add(option(b, code, start, len, depth));
            at = start + len;
        }
        return out;
    }

    private static Dhcp6Option option(ByteBuffer b, int code, int at, int len, int depth) {
        return switch (code) {
            case Dhcp6Option.CLIENTID -> new Dhcp6Option.ClientId(duid(b, at, len, code));
            case Dhcp6Option.SERVERID -> new Dhcp6Option.ServerId(duid(b, at, len, code));
            case Dhcp6Option.IA_NA -> {
                atLeast(code, at, len, 12);
                yield new Dhcp6Option.IaNa(u32(b, at), u32(b, at + 4), u32(b, at + 8), options(b, at + 12, at + len, depth + 1));
            }
            case Dhcp6Option.IAADDR -> {
                atLeast(code, at, len, 24);
                yield new Dhcp6Option.IaAddress(inet6(b, at), u32(b, at + 16), u32(b, at + 20), options(b, at + 24, at + len, depth + 1));
            }
            case Dhcp6Option.ORO -> {
                if (len % 2 != 0) {
                    throw new MalformedDhcp6Exception("option request at offset " + at + " has odd length " + len);
                }
                List<Integer> codes = new ArrayList<>();
                for (int i = 0; i < len; i += 2) {
                    codes.add(b.getShort(at + i) & 0xffff);
                }
                yield new Dhcp6Option.OptionRequest(codes);
            }
            case Dhcp6Option.PREFERENCE -> {
                exactly(code, at, len, 1);
                yield new Dhcp6Option.Preference(b.get(at) & 0xff);
            }
            case Dhcp6Option.ELAPSED_TIME -> {
                exactly(code, at, len, 2);
                yield new Dhcp6Option.ElapsedTime(b.getShort(at) & 0xffff);
            }
            case Dhcp6Option.STATUS_CODE -> {
                atLeast(code, at, len, 2);
                byte[] msg = new byte[len - 2];
                b.get(at + 2, msg);
                yield new Dhcp6Option.StatusCode(b.getShort(at) & 0xffff, new String(msg, StandardCharsets.UTF_8));
            }
            case Dhcp6Option.RAPID_COMMIT -> {
                exactly(code, at, len, 0);
                yield new Dhcp6Option.RapidCommit();
            }
            case Dhcp6Option.DNS_SERVERS -> {
                if (len % 16 != 0) {
                    throw new MalformedDhcp6Exception("DNS servers option at offset " + at + " has length " + len + " (not 16 × n)");
                }
                List<Inet6Address> servers = new ArrayList<>();
                for (int i = 0; i < len; i += 16) {
                    servers.add(inet6(b, at + i));
                }
                yield new Dhcp6Option.DnsServers(servers);
            }
            case Dhcp6Option.DOMAIN_LIST -> new Dhcp6Option.DomainList(names(b, at, len));
            case Dhcp6Option.CLIENT_FQDN -> {
                atLeast(code, at, len, 1);
                yield fqdn(b, at, len);
            }
            default -> {
                byte[] data = new byte[len];
                b.get(at, data);
                yield new Dhcp6Option.Unknown(code, Octets.copyOf(data));
            }
        };
    }

    private static Duid duid(ByteBuffer b, int at, int len, int code) {
        if (len < 1 || len > Duid.MAX_LENGTH) {
            throw new MalformedDhcp6Exception("option " + code + " at offset " + at + " holds a DUID of " + len + " bytes (1-"
                    + Duid.MAX_LENGTH + ")");
        }
        byte[] d = new byte[len];
        b.get(at, d);
        return new Duid(d);
    }

    /** Uncompressed DNS names one after another (RFC 8415 §10). */
    private static List<String> names(ByteBuffer b, int at, int len) {
        List<String> out = new ArrayList<>();
        int i = at;
        int end = at + len;
        StringBuilder name = new StringBuilder();
        while (i < end) {
            int l = b.get(i) & 0xff;
            if (l == 0) {
                out.add(name.toString());
                name.setLength(0);
                i++;
                continue;
            }
            if (l > 63 || i + 1 + l > end) {
                throw new MalformedDhcp6Exception("domain list at offset " + at + ": bad label length " + l + " at offset " + i);
            }
            byte[] label = new byte[l];
            b.get(i + 1, label);
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(label, StandardCharsets.ISO_8859_1));
            i += 1 + l;
        }
        if (!name.isEmpty()) {
            throw new MalformedDhcp6Exception("domain list at offset " + at + " ends inside a name");
        }
        return out;
    }

    /** Flags, then one name in DNS wire format (RFC 4704 §4): fully qualified with the root label, else partial. */
    private static Dhcp6Option.ClientFqdn fqdn(ByteBuffer b, int at, int len) {
        int flags = b.get(at) & 0xff;
        StringBuilder name = new StringBuilder();
        int i = at + 1;
        int end = at + len;
        boolean rooted = false;
        while (i < end) {
            int l = b.get(i) & 0xff;
            if (l == 0) {
                if (i + 1 != end) {
                    throw new MalformedDhcp6Exception("client FQDN at offset " + at + ": data after the root label at offset " + i);
                }
                rooted = true;
                break;
            }
            if (l > 63 || i + 1 + l > end) {
                throw new MalformedDhcp6Exception("client FQDN at offset " + at + ": bad label length " + l + " at offset " + i);
            }
            byte[] label = new byte[l];
            b.get(i + 1, label);
            String text = new String(label, StandardCharsets.ISO_8859_1);
            if (text.indexOf('.') >= 0) {
                throw new MalformedDhcp6Exception("client FQDN at offset " + at + ": a label with a dot at offset " + i);
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(text);
            i += 1 + l;
        }
        return new Dhcp6Option.ClientFqdn(flags, name.toString(), rooted && !name.isEmpty());
    }

    private static void atLeast(int code, int at, int len, int min) {
        if (len < min) {
            throw new MalformedDhcp6Exception("option " + code + " at offset " + at + " has " + len + " bytes (at least " + min + ")");
        }
    }

    private static void exactly(int code, int at, int len, int n) {
        if (len != n) {
            throw new MalformedDhcp6Exception("option " + code + " at offset " + at + " has " + len + " bytes (must be " + n + ")");
        }
    }

    private static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xffffffffL;
    }

    private static Inet6Address inet6(ByteBuffer b, int at) {
        byte[] a = new byte[16];
        b.get(at, a);
        try {
            return Inet6Address.getByAddress(null, a, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }

    public static byte[] encode(Dhcp6Message m) {
        return encode(m, ByteBuffer.allocate(MAX_MESSAGE));
    }

    /**
     * As {@link #encode(Dhcp6Message)}, built in {@code scratch} (a heap buffer of at least
     * {@link #MAX_MESSAGE} bytes the caller reuses from one message to the next; its content is replaced).
     */
    public static byte[] encode(Dhcp6Message m, ByteBuffer scratch) {
        // one buffer, each option's length filled in once its body is written: no stream per option
        ByteBuffer out = scratch.clear().limit(MAX_MESSAGE);
        try {
            out.put((byte) m.type().code());
            out.put((byte) (m.transactionId() >>> 16));
            out.put((byte) (m.transactionId() >>> 8));
            out.put((byte) m.transactionId());
            for (Dhcp6Option o : m.options()) {
                putOption(out, o);
            }
        } catch (BufferOverflowException e) {
            throw new IllegalArgumentException(m.type() + " exceeds " + MAX_MESSAGE + " bytes", e);
        }
        return Arrays.copyOfRange(out.array(), out.arrayOffset(), out.arrayOffset() + out.position());
    }

    private static void putOption(ByteBuffer out, Dhcp6Option o) {
        out.putShort((short) o.code());
        int lengthAt = out.position();
        out.putShort((short) 0);
        switch (o) {
            case Dhcp6Option.ClientId c -> c.duid().writeTo(out);
            case Dhcp6Option.ServerId s -> s.duid().writeTo(out);
            case Dhcp6Option.IaNa ia -> {
                out.putInt((int) ia.iaid());
                out.putInt((int) ia.t1());
                out.putInt((int) ia.t2());
                for (Dhcp6Option n : ia.options()) {
                    putOption(out, n);
                }
            }
            case Dhcp6Option.IaAddress a -> {
                out.put(a.address().getAddress());
                out.putInt((int) a.preferredLifetime());
                out.putInt((int) a.validLifetime());
                for (Dhcp6Option n : a.options()) {
                    putOption(out, n);
                }
            }
            case Dhcp6Option.OptionRequest r -> r.codes().forEach(c -> out.putShort((short) (int) c));
            case Dhcp6Option.Preference p -> out.put((byte) p.value());
            case Dhcp6Option.ElapsedTime e -> out.putShort((short) e.hundredths());
            case Dhcp6Option.StatusCode s -> {
                out.putShort((short) s.status());
                out.put(s.message().getBytes(StandardCharsets.UTF_8));
            }
            case Dhcp6Option.RapidCommit r -> {
            }
            case Dhcp6Option.DnsServers d -> d.servers().forEach(a -> out.put(a.getAddress()));
            case Dhcp6Option.DomainList d -> d.domains().forEach(n -> putName(out, n));
            case Dhcp6Option.ClientFqdn f -> {
                out.put((byte) f.flags());
                if (!f.name().isEmpty()) {
                    putLabels(out, f.name());
                }
                if (f.fullyQualified()) {
                    out.put((byte) 0);
                }
            }
            case Dhcp6Option.Unknown u -> out.put(u.data().toByteArray());
        }
        // a body never exceeds 0xffff: the whole message is at most MAX_MESSAGE bytes
        out.putShort(lengthAt, (short) (out.position() - lengthAt - 2));
    }

    /** The empty name is the root (one zero byte). */
    private static void putName(ByteBuffer out, String name) {
        if (!name.isEmpty()) {
            putLabels(out, name);
        }
        out.put((byte) 0);
    }

    private static void putLabels(ByteBuffer out, String name) {
        for (String label : name.split("\\.", -1)) {
            byte[] l = label.getBytes(StandardCharsets.ISO_8859_1);
            if (l.length == 0 || l.length > 63) {
                throw new IllegalArgumentException("domain '" + name + "' has a label of " + l.length + " bytes");
            }
            out.put((byte) l.length);
            out.put(l);
        }
    }
}
