package org.vnetd.core.dhcp;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.vnetd.core.net.IpAddresses;

/**
 * The options of one message, in wire order, immutable. Values are raw octets; a code that appeared
 * several times (RFC 3396 long options, or split across overloaded fields) holds the concatenation.
 */
public final class DhcpOptions {
    private static final DhcpOptions EMPTY = new DhcpOptions(new int[0], new byte[0][], 0);

    // wire order; a message carries a dozen options or so, so a linear scan beats a map and allocates
    // nothing per lookup (no boxed codes)
    private final int[] codes;
    private final byte[][] values;
    private final int size;
    private List<Integer> codeList; // lazily, for codes()

    private DhcpOptions(int[] codes, byte[][] values, int size) {
        this.codes = codes;
        this.values = values;
        this.size = size;
    }

    public static DhcpOptions empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    private int indexOf(int code) {
        for (int i = 0; i < size; i++) {
            if (codes[i] == code) {
                return i;
            }
        }
        return -1;
    }

    public boolean has(int code) {
        return indexOf(code) >= 0;
    }

    /** The raw value, or null when absent. The array is a copy. */
    public byte[] get(int code) {
        byte[] v = raw(code);
        return v == null ? null : v.clone();
    }

    /** Codes in wire order. */
    public List<Integer> codes() {
        List<Integer> l = codeList;
        if (l == null) {
            Integer[] boxed = new Integer[size];
            for (int i = 0; i < size; i++) {
                boxed[i] = codes[i];
            }
            l = List.of(boxed);
            codeList = l;
        }
        return l;
    }

    /** How many options. */
    int size() {
        return size;
    }

    /** The code of the {@code i}-th option in wire order. */
    int codeAt(int i) {
        return codes[i];
    }

    /** The value of the {@code i}-th option in wire order; not a copy, never to be modified. */
    byte[] valueAt(int i) {
        return values[i];
    }

    int length(int code) {
        byte[] v = raw(code);
        return v == null ? -1 : v.length;
    }

    byte[] raw(int code) {
        int i = indexOf(code);
        return i < 0 ? null : values[i];
    }

    /** A one-octet value, or -1 when absent or not exactly one octet. */
    public int getByte(int code) {
        byte[] v = raw(code);
        return v != null && v.length == 1 ? v[0] & 0xFF : -1;
    }

    /** A two-octet value, or -1 when absent or of another length. */
    public int getShort(int code) {
        byte[] v = raw(code);
        return v != null && v.length == 2 ? ((v[0] & 0xFF) << 8) | (v[1] & 0xFF) : -1;
    }

    /** A four-octet unsigned value, or -1 when absent or of another length. */
    public long getInt(int code) {
        byte[] v = raw(code);
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
        byte[] v = raw(code);
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
        if (!(o instanceof DhcpOptions other) || size != other.size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (codes[i] != other.codes[i] || !Arrays.equals(values[i], other.values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < size; i++) {
            h = 31 * h + codes[i] * 17 + Arrays.hashCode(values[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            parts.add(DhcpOptionCode.valueOf(codes[i]) + "=" + java.util.HexFormat.of().formatHex(values[i]));
        }
        return parts.toString();
    }

    /** Builds options in insertion order; putting a code again replaces its value but keeps its place. */
    public static final class Builder {
        private int[] codes = new int[16];
        private byte[][] values = new byte[16][];
        private int size;

        private int indexOf(int code) {
            for (int i = 0; i < size; i++) {
                if (codes[i] == code) {
                    return i;
                }
            }
            return -1;
        }

        private void set(int code, byte[] value) {
            int i = indexOf(code);
            if (i >= 0) {
                values[i] = value;
                return;
            }
            if (size == codes.length) {
                codes = Arrays.copyOf(codes, Math.max(16, size * 2));
                values = Arrays.copyOf(values, Math.max(16, size * 2));
            }
            codes[size] = code;
            values[size] = value;
            size++;
        }

        public Builder put(int code, byte[] value) {
            return putOwned(code, value.clone());
        }

        /** Like {@link #put} without the copy: {@code value} is immutable from now on (a config's option). */
        Builder putOwned(int code, byte[] value) {
            if (code <= 0 || code >= 255) {
                throw new IllegalArgumentException("option code " + code + " cannot carry a value");
            }
            set(code, value);
            return this;
        }

        /** Appends to an existing value (RFC 3396 concatenation) or adds the code. */
        Builder append(int code, byte[] src, int off, int len) {
            int i = indexOf(code);
            if (i < 0) {
                set(code, Arrays.copyOfRange(src, off, off + len));
            } else {
                byte[] old = values[i];
                byte[] nv = Arrays.copyOf(old, old.length + len);
                System.arraycopy(src, off, nv, old.length, len);
                values[i] = nv;
            }
            return this;
        }

        public Builder putByte(int code, int v) {
            return putOwned(code, new byte[] {(byte) v});
        }

        public Builder putShort(int code, int v) {
            return putOwned(code, new byte[] {(byte) (v >>> 8), (byte) v});
        }

        public Builder putInt(int code, long v) {
            return putOwned(code, new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        }

        public Builder putAddress(int code, Inet4Address a) {
            return putOwned(code, a.getAddress());
        }

        public Builder putAddresses(int code, List<Inet4Address> list) {
            byte[] v = new byte[4 * list.size()];
            for (int i = 0; i < list.size(); i++) {
                System.arraycopy(list.get(i).getAddress(), 0, v, 4 * i, 4);
            }
            return putOwned(code, v);
        }

        public Builder putString(int code, String s) {
            return putOwned(code, s.getBytes(StandardCharsets.US_ASCII));
        }

        public Builder remove(int code) {
            int i = indexOf(code);
            if (i >= 0) {
                System.arraycopy(codes, i + 1, codes, i, size - i - 1);
                System.arraycopy(values, i + 1, values, i, size - i - 1);
                size--;
                values[size] = null;
            }
            return this;
        }

        public boolean has(int code) {
            return indexOf(code) >= 0;
        }

        /** The built options own this builder's arrays; the builder starts over empty. */
        public DhcpOptions build() {
            if (size == 0) {
                return EMPTY;
            }
            DhcpOptions o = new DhcpOptions(codes, values, size);
            // the arrays now belong to o; a builder is nearly always used once, so a reuse pays for new ones
            codes = new int[0];
            values = new byte[0][];
            size = 0;
            return o;
        }
    }
}
