package org.vnetd.core.libvirtimport;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.vnetd.core.dhcp.DhcpLease;

/**
 * One network of libvirt's network driver, as its files show it: the persistent definition
 * ({@code /etc/libvirt/qemu/networks/NAME.xml}), its autostart link, the live definition of a running
 * network (its status file, {@code /run/libvirt/network/NAME.xml}), the daemons libvirt runs for it
 * (pid files next to the status file; only live ones), and its leases ({@code /var/lib/libvirt/dnsmasq/BRIDGE.status}).
 *
 * @param name       the file's name (libvirt names files after the network)
 * @param configXml  the persistent definition, or null for a transient network
 * @param liveXml    the {@code <network>} of the status file, or null when libvirt does not run it
 * @param statusFile the status file {@code liveXml} comes from
 * @param leaseFile  the lease status file read into {@code leases}, when there is one
 * @param ports      the {@code <networkport>} XML of the ports libvirt recorded for a running network's guests
 *                   ({@code /run/libvirt/network/NAME/ports/UUID.xml}), which virtqemud deletes when a guest stops
 */
public record LibvirtNetwork(String name, String configXml, boolean autostart, String liveXml, Optional<String> statusFile,
        OptionalLong dnsmasqPid,
        OptionalLong radvdPid, Optional<String> leaseFile, List<DhcpLease> leases, List<String> ports) {
    public LibvirtNetwork {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dnsmasqPid, "dnsmasqPid");
        Objects.requireNonNull(radvdPid, "radvdPid");
        Objects.requireNonNull(leaseFile, "leaseFile");
        Objects.requireNonNull(statusFile, "statusFile");
        leases = List.copyOf(leases);
        ports = List.copyOf(ports);
        if (configXml == null && liveXml == null) {
            throw new IllegalArgumentException("network '" + name + "' has neither a definition nor a status");
        }
    }

    public boolean persistent() {
        return configXml != null;
    }

    public boolean running() {
        return liveXml != null;
    }

    /**
     * The {@code <network>} element of a libvirt status file ({@code <networkstatus>} with
     * {@code <class_id>}, {@code <floor>} and the live definition), as text.
     */
    public static String networkOfStatus(String statusXml, String where) {
        int start = -1;
        for (int i = statusXml.indexOf("<network"); i >= 0; i = statusXml.indexOf("<network", i + 1)) {
            char next = i + 8 < statusXml.length() ? statusXml.charAt(i + 8) : ' ';
            if (next == '>' || Character.isWhitespace(next)) {
                start = i;
                break;
            }
        }
        int end = statusXml.lastIndexOf("</network>");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException(where + " holds no <network> element");
        }
        return statusXml.substring(start, end + "</network>".length());
    }
}
