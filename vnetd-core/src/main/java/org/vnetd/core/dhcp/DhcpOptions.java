package org.vnetd.core.dhcp;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vnetd.core.net.IpAddresses;

/**
 * The options of one message, in wire order, immutable. Values are raw octets; a code that appeared
 * several times (RFC 3396 long options, or split across overloaded fields) holds the concatenation.
 */
public final class DhcpOptions {
    private static final DhcpOptions EMPTY = new DhcpOptions(new LinkedHashMap<>());

    private final Map<Integer, byte[]> values;
    private final List<Integer> codes;

    private DhcpOptions(LinkedHashMap<Integer, byte[]> values) {
        this.values = Collections.unmodifiableMap(values);
        this.codes = List.copyOf(values.keySet());
    }

    public static DhcpOptions empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean has(int code) {
        return values.containsKey(code);
    }

    /** The raw value, or null when absent. The array is a copy. */
    public byte[] get(int code) {
        byte[] v = values.get(code);
        return v == null ? null : v.clone();
    }

    /** Codes in wire order. */
    public List<Integer> codes() {
        return codes;
    }

    int length(int code) {
        byte[] v = values.get(code);
        return v == null ? -1 : v.length;
    }

    byte[] raw(int code) {
        return values.get(code);
    }

    /** A one-octet value, or -1 when absent or not exactly one octet. */
    public int getByte(int code) {
        byte[] v = values.get(code);
        return v != null && v.length == 1 ? v[0] & 0xFF : -1;
    }

    /** A two-octet value, or -1 when absent or of another length. */
    public int getShort(int code) {
        byte[] v = values.get(code);
        return v != null && v.length == 2 ? ((v[0] & 0xFF) << 8) | (v[1] & 0xFF) : -1;
    }

    /** A four-octet unsigned value, or -1 when absent or of another length. */
    public long getInt(int code) {
        byte[] v = values.get(code);
        if (v == null || v.length != 4) {
            return -1;
        }
        return ((long) (v[0] & 0xFF) << 24) | ((v[1] & 0xFF) << 16) | ((v[2] & 0xFF) << 8) | (v[3] & 0xFF);
    }

    /** An address-valued option, or null when absent or not exactly four octets. */
    public Inet4Address getAddress(int code) {
        long v = getInt(code);
        return v < 0 ? null : IpAddresses.fromInt((int) v);
    }

    /** A text option (NVT ASCII); trailing NULs that some clients send are dropped. */
    public String getString(int code) {
        byte[] v = values.get(code);
        if (v == null) {
            return null;
        }
        int n = v.length;
        while (n > 0 && v[n - 1] == 0) {
            n--;
        }
        return new String(v, 0, n, StandardCharsets.US_ASCII);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DhcpOptions other) || !values.keySet().equals(other.values.keySet())) {
            return false;
        }
        List<Integer> a = codes();
        List<Integer> b = other.codes();
        if (!a.equals(b)) {
            return false;
        }
        for (Integer c : a) {
            if (!Arrays.equals(values.get(c), other.values.get(c))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Map.Entry<Integer, byte[]> e : values.entrySet()) {
            h = 31 * h + e.getKey() * 17 + Arrays.hashCode(e.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        values.forEach((c, v) -> parts.add(DhcpOptionCode.valueOf(c) + "=" + java.util.HexFormat.of().formatHex(v)));
        return parts.toString();
    }

    /** Builds options in insertion order; putting a code again replaces its value but keeps its place. */
    public static final class Builder {
        private LinkedHashMap<Integer, byte[]> values = new LinkedHashMap<>();

        public Builder put(int code, byte[] value) {
            if (code <= 0 || code >= 255) {
                throw new IllegalArgumentException("option code " + code + " cannot carry a value");
            }
            values.put(code, value.clone());
            return this;
        }

        /** Appends to an existing value (RFC 3396 concatenation) or adds the code. */
        Builder append(int code, byte[] src, int off, int len) {
            byte[] old = values.get(code);
            byte[] nv;
            if (old == null) {
                nv = Arrays.copyOfRange(src, off, off + len);
            } else {
                nv = Arrays.copyOf(old, old.length + len);
                System.arraycopy(src, off, nv, old.length, len);
            }
            values.put(code, nv);
            return this;
        }

        public Builder putByte(int code, int v) {
            return put(code, new byte[] {(byte) v});
        }

        public Builder putShort(int code, int v) {
            return put(code, new byte[] {(byte) (v >>> 8), (byte) v});
        }

        public Builder putInt(int code, long v) {
            return put(code, new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        }

        public Builder putAddress(int code, Inet4Address a) {
            return put(code, a.getAddress());
        }

        public Builder putAddresses(int code, List<Inet4Address> list) {
            byte[] v = new byte[4 * list.size()];
            for (int i = 0; i < list.size(); i++) {
                System.arraycopy(list.get(i).getAddress(), 0, v, 4 * i, 4);
            }
            return put(code, v);
        }

        public Builder putString(int code, String s) {
            return put(code, s.getBytes(StandardCharsets.US_ASCII));
        }

        public Builder remove(int code) {
            values.remove(code);
            return this;
        }

        public boolean has(int code) {
            return values.containsKey(code);
        }

        /** The built options own this builder's map; the builder starts over empty. */
        public DhcpOptions build() {
            if (values.isEmpty()) {
                return EMPTY;
            }
            DhcpOptions o = new DhcpOptions(values);
            values = new LinkedHashMap<>();
            return o;
        }
    }
}
