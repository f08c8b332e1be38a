package org.vnetd.daemon.libvirt.proc;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The procedures a listener serves, by number; a number served twice is refused when the table is built. */
public final class ProcedureTable {
    private final Map<Integer, Procedure<?, ?>> byNumber = new HashMap<>();

    @SafeVarargs
    public ProcedureTable(Collection<? extends Procedure<?, ?>>... groups) {
        Stream.of(groups).flatMap(Collection::stream).forEach(p -> {
            Procedure<?, ?> old = byNumber.putIfAbsent(p.number(), p);
            if (old != null) {
                throw new IllegalArgumentException("procedure " + p.number() + " is served twice: " + old.api() + " and " + p.api());
            }
        });
    }

    public Optional<Procedure<?, ?>> lookup(int number) {
        return Optional.ofNullable(byNumber.get(number));
    }

    /** The numbers served, ascending (for docs and tests). */
    public List<Integer> numbers() {
        return byNumber.keySet().stream().sorted().toList();
    }
}
