package org.vnetd.daemon.rpc;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.vnetd.core.rpc.Methods;

/**
 * The methods the JSON RPC serves, by name, built once at start. It must serve exactly {@link Methods#ALL},
 * each once, with the access {@link Methods#READ_ONLY} documents: a method without a handler, one served
 * twice, one the contract does not name, or one whose access disagrees fails the daemon's start (and
 * {@code RpcMethodTableTest}) instead of surfacing as an error to the first client that calls it.
 */
public final class RpcMethodTable {
    private final Map<String, RpcMethod> byName = new HashMap<>();

    @SafeVarargs
    public RpcMethodTable(Collection<RpcMethod>... groups) {
        Stream.of(groups).flatMap(Collection::stream).forEach(m -> {
            if (byName.putIfAbsent(m.name(), m) != null) {
                throw new IllegalStateException("RPC method " + m.name() + " has two handlers");
            }
        });
        Set<String> missing = new TreeSet<>(Methods.ALL);
        missing.removeAll(byName.keySet());
        Set<String> extra = new TreeSet<>(byName.keySet());
        extra.removeAll(Methods.ALL);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new IllegalStateException("the RPC's methods disagree with org.vnetd.core.rpc.Methods: "
                    + (missing.isEmpty() ? "" : "no handler for " + missing) + (missing.isEmpty() || extra.isEmpty() ? "" : "; ")
                    + (extra.isEmpty() ? "" : "handlers for unknown methods " + extra));
        }
        Set<String> wrongAccess = new TreeSet<>();
        byName.values().forEach(m -> {
            if ((m.access() == RpcMethod.Access.READ) != Methods.isReadOnly(m.name())) {
                wrongAccess.add(m.name() + " (" + m.access() + ")");
            }
        });
        if (!wrongAccess.isEmpty()) {
            throw new IllegalStateException("RPC methods whose access disagrees with Methods.READ_ONLY: " + wrongAccess);
        }
    }

    public Optional<RpcMethod> lookup(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
