package org.vnetd.core.libvirtimport;

/**
 * Records a port libvirt's network driver had for a running guest (its {@code <networkport>} XML, plugged),
 * as virtqemud's reclaim at its own restart would: the guest's tap stays, and virtqemud can delete the port
 * at vnetd when the guest stops.
 */
@FunctionalInterface
public interface PortImporter {
    void importPort(String network, String portXml);
}
