package org.vnetd.daemon.dhcp6;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.vnetd.core.dhcp6.Dhcp6Lease;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.state.AtomicFiles;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The snapshot of one network's DHCPv6 leases, {@code <network>.dhcp6.json}: a JSON array, replaced
 * whole (write, fsync, rename) by a compaction of the lease log ({@link Dhcp6LeaseStore}).
 */
final class Dhcp6LeaseFile {
    private final ObjectMapper json;
    private final Path file;

    Dhcp6LeaseFile(Path file, ObjectMapper json) {
        this.file = file;
        this.json = json;
    }

    List<Dhcp6Lease> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<Dhcp6Lease> out = new ArrayList<>();
            for (Dhcp6LeaseRecord s : json.readValue(file.toFile(), Dhcp6LeaseRecord[].class)) {
                out.add(s.toLease());
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new VnetException(ErrorCode.DHCP, "cannot read the DHCPv6 leases in " + file + ": " + e.getMessage(), e);
        }
    }

    void write(Collection<Dhcp6Lease> leases) {
        List<Dhcp6LeaseRecord> out = new ArrayList<>(leases.size());
        for (Dhcp6Lease l : leases) {
            out.add(Dhcp6LeaseRecord.snapshot(l));
        }
        try {
            AtomicFiles.write(file, json.writeValueAsBytes(out));
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot write the DHCPv6 leases to " + file + ": " + e.getMessage(), e);
        }
    }
}
