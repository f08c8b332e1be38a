/**
 * Quality of service: libvirt's {@code <bandwidth>} as traffic-control objects ({@link org.vnetd.core.qos.TcObject},
 * planned by {@link org.vnetd.core.qos.TcPlans} as virnetdevbandwidth.c makes them) and its floor accounting
 * ({@link org.vnetd.core.qos.FloorCheck}, {@link org.vnetd.core.qos.FloorLedger}) as bridge_driver.c does it.
 * Pure: the daemon's {@code org.vnetd.daemon.qos} sends the objects to the kernel over rtnetlink.
 */
package org.vnetd.core.qos;
