package org.vnetd.core.link;

/**
 * Kernel tunables ({@code net.ipv4.ip_forward}, per-interface {@code disable_ipv6}, {@code accept_ra}).
 * {@link #set} returns the previous value so the driver can undo exactly what it changed.
 */
public interface Sysctl {
    /** The value with surrounding whitespace removed. */
    String read(SysctlKey key);

    void write(SysctlKey key, String value);

    /** Writes {@code value} and returns what was there before, ready for {@link #restore}. */
    default Change set(SysctlKey key, String value) {
        String old = read(key);
        write(key, value);
        return new Change(key, old, value);
    }

    /** Puts the old value back. */
    default void restore(Change change) {
        write(change.key(), change.oldValue());
    }

    record Change(SysctlKey key, String oldValue, String newValue) {
        public boolean changed() {
            return !oldValue.equals(newValue);
        }
    }
}
