/**
 * libc through {@code java.lang.foreign}: the system calls the daemon makes itself, each with errno
 * captured, for the netlink and tun code and for socket descriptors that netty does not manage.
 */
package org.vnetd.daemon.sys;
