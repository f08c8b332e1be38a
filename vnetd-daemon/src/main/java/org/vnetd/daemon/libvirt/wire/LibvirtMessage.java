package org.vnetd.daemon.libvirt.wire;

/** One decoded frame: its header and its XDR payload (the procedure's arguments), unparsed. */
public record LibvirtMessage(MessageHeader header, byte[] payload) {
}
