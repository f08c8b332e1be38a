package org.vnetd.daemon.port;

import java.util.List;

/**
 * What the daemon remembers of one port, as stored in {@code <run-dir>/ports/<uuid>.json}: enough to
 * list it, adopt its tap after a restart, and undo it (tap, DHCP reservation). {@code xml} is the
 * libvirt {@code <networkport>} document. {@code ifindex} is the tap's (null in files of daemons before it
 * was kept): the kernel never gives an index to another link while this one exists, so deleting the
 * port addresses exactly its tap, with no lookup by name. {@code tap} is null for a port whose client makes
 * its tap ({@link #clientTap}).
 */
public record PortRecord(String uuid, String network, String networkUuid, String tap, String tapMac, String mac,
        String bridge, String plugType, Integer ownerUid, Integer ownerGid, boolean vnetHdr, boolean multiQueue,
        int queues, boolean passFd, String portgroup, String ip, boolean isolated, Integer mtu, List<String> notes,
        String xml, Integer ifindex) {
    public PortRecord {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A port whose tap its client makes and removes (libvirt's virtqemud): vnetd has no tap to adopt or delete. */
    public boolean clientTap() {
        return tap == null;
    }
}
