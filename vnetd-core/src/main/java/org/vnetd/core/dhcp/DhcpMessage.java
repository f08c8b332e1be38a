package org.vnetd.core.dhcp;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.MacAddress;

/**
 * One BOOTP/DHCP message (RFC 2131 figure 1) as a value. {@code sname} and {@code file} hold the raw
 * fields; when a received message overloaded them with options, those options are already merged
 * into {@link #options()} and the fields are reported empty.
 */
public record DhcpMessage(int op, int htype, int hlen, int hops, int xid, int secs, int flags,
        Inet4Address ciaddr, Inet4Address yiaddr, Inet4Address siaddr, Inet4Address giaddr,
        byte[] chaddr, byte[] sname, byte[] file, DhcpOptions options) {
    public static final int BOOTREQUEST = 1;
    public static final int BOOTREPLY = 2;
    public static final int FLAG_BROADCAST = 0x8000;
    public static final Inet4Address ZERO = IpAddresses.fromInt(0);

    public DhcpMessage {
        if (op < 0 || op > 255 || htype < 0 || htype > 255 || hlen < 0 || hlen > 16 || hops < 0 || hops > 255) {
            throw new IllegalArgumentException("op/htype/hlen/hops out of range");
        }
        chaddr = fit(chaddr, 16);
        sname = fit(sname, 64);
        file = fit(file, 128);
    }

    private static final byte[] ZERO_16 = new byte[16];
    private static final byte[] ZERO_64 = new byte[64];
    private static final byte[] ZERO_128 = new byte[128];

    private static byte[] fit(byte[] b, int len) {
        if (b == null) {
            // shared: the fields never change and leave only as copies
            return len == 16 ? ZERO_16 : len == 64 ? ZERO_64 : len == 128 ? ZERO_128 : new byte[len];
        }
        if (b.length > len) {
            throw new IllegalArgumentException("field longer than " + len + " octets");
        }
        return b.length == len ? b.clone() : Arrays.copyOf(b, len);
    }

    public DhcpMessageType messageType() {
        int t = options.getByte(DhcpOptionCode.MESSAGE_TYPE);
        return t < 0 ? null : DhcpMessageType.valueOf(t);
    }

    public boolean broadcastFlag() {
        return (flags & FLAG_BROADCAST) != 0;
    }

    /** The client's MAC when the hardware is Ethernet (htype 1, hlen 6), else null. */
    public MacAddress mac() {
        if (htype != 1 || hlen != 6) {
            return null;
        }
        return MacAddress.of(Arrays.copyOf(chaddr, 6));
    }

    /** Option 61 when present and non-empty, else htype + chaddr[0..hlen). Null when neither exists. */
    public ClientId clientId() {
        byte[] id = options.raw(DhcpOptionCode.CLIENT_ID);
        if (id != null && id.length > 0) {
            return new ClientId(id);
        }
        if (hlen == 0) {
            return null;
        }
        byte[] b = new byte[hlen + 1];
        b[0] = (byte) htype;
        System.arraycopy(chaddr, 0, b, 1, hlen);
        return new ClientId(b);
    }

    public Inet4Address requestedIp() {
        return options.getAddress(DhcpOptionCode.REQUESTED_IP);
    }

    public Inet4Address serverId() {
        return options.getAddress(DhcpOptionCode.SERVER_ID);
    }

    /** Option 12, else the name in option 81 (RFC 4702), else null. */
    public String hostname() {
        String h = options.getString(DhcpOptionCode.HOST_NAME);
        if (h != null && !h.isEmpty()) {
            return h;
        }
        return fqdn();
    }

    /** The domain name of option 81, read-only: RFC 4702 canonical wire form when the E flag is set, else ASCII. */
    public String fqdn() {
        byte[] v = options.raw(DhcpOptionCode.CLIENT_FQDN);
        if (v == null || v.length < 3) {
            return null;
        }
        boolean wire = (v[0] & 0x04) != 0;
        if (!wire) {
            String s = new String(v, 3, v.length - 3, StandardCharsets.US_ASCII);
            s = s.replace("\0", "");
            return s.isEmpty() ? null : s;
        }
        List<String> labels = new ArrayList<>();
        int i = 3;
        while (i < v.length) {
            int len = v[i] & 0xFF;
            if (len == 0) {
                break;
            }
            if (len > 63 || i + 1 + len > v.length) {
                return null; // a label past the end: the name is unusable, the message is not
            }
            labels.add(new String(v, i + 1, len, StandardCharsets.US_ASCII));
            i += 1 + len;
        }
        return labels.isEmpty() ? null : String.join(".", labels);
    }

    /** Option 55 in the client's order of preference; empty when absent. */
    public int[] parameterRequestList() {
        byte[] v = options.raw(DhcpOptionCode.PARAMETER_REQUEST_LIST);
        if (v == null) {
            return new int[0];
        }
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] & 0xFF;
        }
        return out;
    }

    /** Option 57; -1 when absent or malformed. */
    public int maxMessageSize() {
        return options.getShort(DhcpOptionCode.MAX_MESSAGE_SIZE);
    }

    @Override
    public byte[] chaddr() {
        return chaddr.clone();
    }

    /** The field itself, for the codec: never to be modified. */
    byte[] rawChaddr() {
        return chaddr;
    }

    byte[] rawSname() {
        return sname;
    }

    byte[] rawFile() {
        return file;
    }

    @Override
    public byte[] sname() {
        return sname.clone();
    }

    @Override
    public byte[] file() {
        return file.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhcpMessage m && op == m.op && htype == m.htype && hlen == m.hlen && hops == m.hops
                && xid == m.xid && secs == m.secs && flags == m.flags && ciaddr.equals(m.ciaddr)
                && yiaddr.equals(m.yiaddr) && siaddr.equals(m.siaddr) && giaddr.equals(m.giaddr)
                && Arrays.equals(chaddr, m.chaddr) && Arrays.equals(sname, m.sname) && Arrays.equals(file, m.file)
                && options.equals(m.options);
    }

    @Override
    public int hashCode() {
        return xid * 31 + Arrays.hashCode(chaddr) + options.hashCode();
    }

    @Override
    public String toString() {
        return String.format("DhcpMessage[%s xid=%08x chaddr=%s ciaddr=%s yiaddr=%s giaddr=%s flags=%04x options=%s]",
                messageType(), xid, java.util.HexFormat.of().formatHex(chaddr, 0, Math.min(hlen, 16)),
                ciaddr.getHostAddress(), yiaddr.getHostAddress(), giaddr.getHostAddress(), flags, options);
    }
}
