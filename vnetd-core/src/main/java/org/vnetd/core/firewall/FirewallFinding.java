package org.vnetd.core.firewall;

/**
 * One thing {@code vnetctl doctor} reports about the host firewall.
 *
 * @param check    stable id, e.g. {@code ip_forward}, {@code foreign_forward_drop}
 * @param severity how bad it is for guests
 * @param message  what is wrong and where (table, chain, rule handle)
 * @param hint     what the user can do about it
 */
public record FirewallFinding(String check, Severity severity, String message, String hint) {
    public enum Severity {
        /** Guests lose connectivity. */
        ERROR,
        /** Guests may lose connectivity, depending on traffic. */
        WARNING
    }
}
