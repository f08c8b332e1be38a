package org.vnetd.daemon.libvirt.proc;

import java.util.UUID;

import org.vnetd.daemon.libvirt.xdr.XdrReader;
import org.vnetd.daemon.libvirt.xdr.XdrWriter;

/** libvirt's {@code remote_nonnull_network_port}: the port's network and its UUID. */
public record RemotePort(RemoteNetwork net, UUID uuid) {
    public static RemotePort read(XdrReader in) {
        return new RemotePort(RemoteNetwork.read(in), RemoteNetwork.readUuid(in));
    }

    public static void put(XdrWriter w, RemotePort p) {
        p.net().write(w);
        RemoteNetwork.writeUuid(w, p.uuid());
    }
}
