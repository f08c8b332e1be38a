package org.vnetd.core.firewall;

import java.util.Collection;
import java.util.List;

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
     * Whether the kernel holds exactly {@code plan}'s rules and the jumps to them (packet counters aside).
     * A restarted daemon asks before adopting a network: rules that are in place are left alone (a
     * re-apply would renumber them and zero their counters); false means drift, or that the backend
     * cannot tell, and the plan is applied again.
     */
    default boolean inPlace(FirewallPlan plan) {
        return false;
    }

    /** Whether vnetd's table (or chains) exist, with or without networks in them; false when unknown. */
    default boolean installed() {
        return false;
    }
}
