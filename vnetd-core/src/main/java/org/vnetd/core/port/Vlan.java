package org.vnetd.core.port;

import java.util.List;
import java.util.Optional;

/** {@code <vlan trunk='yes'>} with its tags; nativeMode is 'tagged' or 'untagged'. */
public record Vlan(Optional<Boolean> trunk, List<Tag> tags) {
    public Vlan {
        tags = List.copyOf(tags);
    }

    public record Tag(int id, Optional<String> nativeMode) {
    }
}
