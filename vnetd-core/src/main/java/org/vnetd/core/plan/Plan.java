package org.vnetd.core.plan;

import java.util.List;
import java.util.Objects;

/** What starting one network does, in order: the planner's output and the executor's input. */
public record Plan(String network, List<Action> actions) {
    public Plan {
        Objects.requireNonNull(network, "network");
        actions = List.copyOf(actions);
    }

    /** One line per action (golden files, logs, diffs). */
    public List<String> lines() {
        return actions.stream().map(Action::describe).toList();
    }

    /** {@link #lines()}, each ended by a newline. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        lines().forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }
}
