package org.vnetd.daemon.state;

/** A network's stored state in {@link ConfigDirStore}: its XML and autostart flag. */
record StoredDefinition(byte[] xml, boolean autostart) {
}
