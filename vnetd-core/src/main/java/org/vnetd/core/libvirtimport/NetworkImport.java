package org.vnetd.core.libvirtimport;

import java.util.List;
import java.util.Objects;

import org.vnetd.core.plan.Action;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * What importing one libvirt network does. {@code persistent} and {@code live} are the parsed
 * definitions (null when libvirt has none); {@code release} is set when the running network is taken over.
 *
 * @param steps what it does, one line each, as {@code --dry-run} prints it
 */
public record NetworkImport(LibvirtNetwork source, String name, String uuid, String bridge, Outcome outcome, NetworkDef persistent,
        NetworkDef live, Action.ReleaseFromLibvirt release, List<String> steps) {
    public enum Outcome {
        /** Defined, and taken over when {@code release} is set. */
        IMPORTED,
        /** vnetd has this network already (same name and uuid): an earlier import moved it. */
        ALREADY_VNETD,
        /** Transient and running in libvirt, without {@code --takeover}: there is nothing to define. */
        SKIPPED
    }

    public NetworkImport {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outcome, "outcome");
        steps = List.copyOf(steps);
    }

    public boolean takesOver() {
        return release != null;
    }
}
