package org.vnetd.core.qos;

/**
 * Traffic control in the kernel, one request per object (rtnetlink in the daemon, a recording fake in
 * tests). Failures are {@link org.vnetd.core.link.KernelException}s with the kernel's errno and text.
 */
public interface TcBackend {
    /** Creates the object; it must not exist yet. */
    void add(TcObject object);

    /** Removes the object (a qdisc with its classes, a class with its qdisc, a filter). */
    void delete(TcObject object);

    /** Changes an existing HTB class's rate, ceiling and quantum ({@code tc class change}). */
    void change(HtbClassChange change);

    /**
     * Removes the root and ingress qdiscs of {@code device} with everything under them (libvirt's
     * virNetDevBandwidthClear); a device without them, or gone, is no error.
     */
    void clear(String device);
}
