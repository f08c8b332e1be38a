/**
 * The kernel link layer as the network driver sees it: {@link org.vnetd.core.link.LinkBackend} (one
 * method per kernel operation, names and values in, typed {@link org.vnetd.core.link.KernelException}
 * out), {@link org.vnetd.core.link.Sysctl} (set returns the old value for undo) and
 * {@link org.vnetd.core.link.LinkEventSource} (links and addresses changing behind our back).
 * <p>
 * Kernel behaviours callers must know, because the layer reports them instead of hiding them:
 * <ul>
 * <li>A failed {@code setMaster} can leave the port with no master: the kernel detaches it from its old
 * bridge before attaching it to the new one and does not undo the first step. The exception's message
 * ends with the state left behind ("'vnet0' now has no master ...").</li>
 * <li>Deleting a bridge that still has ports succeeds; the ports stay, detached.</li>
 * <li>With STP on, a forward delay under 2 s becomes 2 s when STP starts (libvirt's "stp on, delay 0"
 * gets the same).</li>
 * <li>Names longer than 15 characters are refused before any request (INVALID_ARGUMENT).</li>
 * </ul>
 */
package org.vnetd.core.link;
