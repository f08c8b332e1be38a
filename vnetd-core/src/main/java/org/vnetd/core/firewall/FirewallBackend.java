package org.vnetd.core.firewall;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Applies firewall plans to the kernel (implemented in vnetd-daemon by nftables and iptables).
 * Every method is one change: it either takes full effect or, on failure, leaves the rules as they
 * were and throws a {@code VnetException} with {@code ErrorCode.FIREWALL} naming the rejected rule.
 * All methods are idempotent.
 */
public interface FirewallBackend {
    /** {@code nftables} or {@code iptables}. */
    String name();

    /** Adds a network's rules, or replaces them if present. */
    default void apply(FirewallPlan plan) {
        update(List.of(), List.of(plan));
    }

    /** Removes exactly one network's rules; other networks and other tools' rules are untouched. */
    default void remove(FirewallPlan plan) {
        update(List.of(plan), List.of());
    }

    /**
     * Re-applies the rules of all running networks (daemon start, {@code firewall-reload}), e.g.
     * after another tool flushed the ruleset. Applying twice gives one copy of each rule.
     */
    default void reapply(Collection<FirewallPlan> running) {
        update(List.of(), running);
    }

    /** Removes {@code remove}, then adds {@code add}, as one change. */
    void update(Collection<FirewallPlan> remove, Collection<FirewallPlan> add);

    /** Removes everything vnetd installed (last network stopped, daemon uninstall). */
    void clear();

    /**
     * A digest of what the kernel holds for {@code plan}'s network (its rules, the jumps to them;
     * packet counters left out), or empty when something is missing or the backend cannot tell.
     * Equal digests before and after a daemon restart mean the rules are as vnetd left them, so
     * adoption leaves them alone (a re-apply would reset their counters).
     */
    default Optional<String> fingerprint(FirewallPlan plan) {
        return Optional.empty();
    }
}
