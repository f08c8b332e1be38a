package org.vnetd.core.port;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code <virtualport type=…><parameters …/>}; parameters keep their document order. */
public record VirtualPort(Optional<String> type, List<Map.Entry<String, String>> parameters) {
    public VirtualPort {
        parameters = List.copyOf(parameters);
    }
}
