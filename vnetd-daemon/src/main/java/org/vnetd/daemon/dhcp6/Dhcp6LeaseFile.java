package org.vnetd.daemon.dhcp6;

import java.io.IOException;
import java.net.Inet6Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.vnetd.core.dhcp6.Duid;
import org.vnetd.core.dhcp6.Dhcp6Lease;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.daemon.state.AtomicFiles;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One network's DHCPv6 leases as a JSON file, rewritten whole (write, fsync, rename) before every
 * answer that changed a lease, so a REPLY'd lease survives {@code kill -9}. Simple rather than fast:
 * DHCPv4's group-committed log is the model to move to when DHCPv6 rates matter.
 */
final class Dhcp6LeaseFile {
    /** As stored: expiry in epoch seconds, -1 for infinite. */
    record Stored(String duid, long iaid, String address, long expiry, String hostname) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    Dhcp6LeaseFile(Path file) {
        this.file = file;
    }

    List<Dhcp6Lease> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            Stored[] stored = JSON.readValue(file.toFile(), Stored[].class);
            List<Dhcp6Lease> out = new ArrayList<>();
            for (Stored s : stored) {
                out.add(new Dhcp6Lease(Duid.parse(s.duid()), s.iaid(), (Inet6Address) IpAddresses.parse(s.address()),
                        s.expiry() < 0 ? Instant.MAX : Instant.ofEpochSecond(s.expiry()), s.hostname()));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new VnetException(ErrorCode.DHCP, "cannot read the DHCPv6 leases in " + file + ": " + e.getMessage(), e);
        }
    }

    void write(List<Dhcp6Lease> leases) {
        List<Stored> out = new ArrayList<>();
        for (Dhcp6Lease l : leases) {
            out.add(new Stored(l.client().toString(), l.iaid(), l.address().getHostAddress(),
                    l.expiry().equals(Instant.MAX) ? -1 : l.expiry().getEpochSecond(), l.hostname()));
        }
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(out));
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot write the DHCPv6 leases to " + file + ": " + e.getMessage(), e);
        }
    }
}
