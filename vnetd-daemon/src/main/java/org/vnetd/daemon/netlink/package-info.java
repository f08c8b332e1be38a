/**
 * rtnetlink and tun through {@code java.lang.foreign}, with no native code of our own.
 * <p>
 * Layers, bottom up: {@code daemon.sys.Libc} (downcalls, errno captured per call), {@code NlMessageWriter} /
 * {@code NlMessage} / {@code NlAttrs} (bytes to values and back: 4-byte aligned attributes, nests),
 * {@code NetlinkSocket} (sequence-matched request/ACK with extended ACK text, dumps to NLMSG_DONE),
 * then one class per object kind ({@code LinkOps}, {@code AddressOps}, {@code RouteOps},
 * {@code NeighbourOps}, {@code TunDevices}) behind the public {@link NetlinkLinkBackend},
 * {@link ProcSysctl} and {@link NetlinkLinkEvents}.
 * <p>
 * Namespaces: a netlink socket acts in the network namespace of the thread that opened it, from any
 * thread afterwards. {@code /dev/net/tun} and {@code /proc/sys/net} are resolved in the namespace of
 * the calling thread at each call. Tests therefore open and call everything from a
 * {@code NetnsExecutor} thread.
 */
package org.vnetd.daemon.netlink;
