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
import org.vnetd.daemon.dhcp.LeaseCompactor;
import org.vnetd.daemon.dhcp.StreamedSnapshot;
import org.vnetd.daemon.time.BootClock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;

/**
 * The snapshot of one network's DHCPv6 leases, {@code <network>.dhcp6.json}: a JSON array, replaced
 * whole by a compaction of the lease log ({@link Dhcp6LeaseStore}), streamed and synced as it is
 * written ({@link StreamedSnapshot}), as DHCPv4's snapshot is.
 */
final class Dhcp6LeaseFile implements LeaseCompactor.Snapshot<Dhcp6Lease> {
    private final ObjectMapper json;
    private final Path file;
    private final BootClock clock;

    /** @param clock the lease clock (boot-time expiries written and read), or null */
    Dhcp6LeaseFile(Path file, ObjectMapper json, BootClock clock) {
        this.file = file;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Path path() {
        return file;
    }

    List<Dhcp6Lease> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<Dhcp6Lease> out = new ArrayList<>();
            for (Dhcp6LeaseRecord s : json.readValue(file.toFile(), Dhcp6LeaseRecord[].class)) {
                out.add(s.toLease(clock));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new VnetException(ErrorCode.DHCP, "cannot read the DHCPv6 leases in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(Collection<Dhcp6Lease> leases) throws IOException {
        StreamedSnapshot.replace(file, out -> {
            try (SequenceWriter w = json.writerFor(Dhcp6LeaseRecord.class).writeValuesAsArray(out)) {
                for (Dhcp6Lease l : leases) {
                    w.write(Dhcp6LeaseRecord.snapshot(l, clock));
                }
            }
        });
    }
}
