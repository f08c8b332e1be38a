package org.vnetd.core.qos;

/**
 * A tc handle or class id, {@code major:minor} (the kernel's TC_H_MAKE: major in the upper 16 bits), written
 * in hexadecimal as tc writes it: {@code 1:}, {@code 1:2}, {@code 1:a}.
 */
public record TcHandle(int major, int minor) {
    /** TC_H_INGRESS's qdisc handle {@code ffff:}. */
    public static final TcHandle INGRESS = new TcHandle(0xffff, 0);

    public TcHandle {
        if (major < 0 || major > 0xffff || minor < 0 || minor > 0xffff) {
            throw new IllegalArgumentException("tc handle out of range: " + major + ":" + minor);
        }
    }

    /** A qdisc's handle {@code major:}. */
    public static TcHandle qdisc(int major) {
        return new TcHandle(major, 0);
    }

    /** The 32-bit value the kernel takes. */
    public int value() {
        return (major << 16) | minor;
    }

    /** {@code 1:} for a qdisc handle, {@code 1:2} for a class. */
    @Override
    public String toString() {
        return Integer.toHexString(major) + ":" + (minor == 0 ? "" : Integer.toHexString(minor));
    }

    /** {@code 1:0}: the form libvirt writes for a qdisc as a filter's parent. */
    public String withZero() {
        return Integer.toHexString(major) + ":" + Integer.toHexString(minor);
    }
}
