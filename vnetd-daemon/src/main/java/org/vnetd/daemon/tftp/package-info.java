/**
 * The TFTP server of libvirt's {@code <ip><tftp root='DIR'/></ip>} (dnsmasq's {@code enable-tftp} and
 * {@code tftp-root} under libvirt), read-only, one {@link org.vnetd.daemon.tftp.TftpService} per
 * running network. The protocol logic (codec, option negotiation, the per-transfer state machine,
 * filename rules) is in {@code org.vnetd.core.tftp} and does no I/O; this package owns sockets,
 * files and timers.
 *
 * <h2>Sockets</h2>
 * <ul>
 *   <li>Port 69 on each address that has a {@code <tftp root>}, with {@code SO_BINDTODEVICE} to the
 *       network's bridge (like the DHCP socket), so only guests on that bridge reach it.</li>
 *   <li>Every transfer gets its own UDP socket on an ephemeral port of the same address: RFC 1350's
 *       server TID. Clients (PXE ROMs, iPXE, busybox, curl) expect the data from a new port; a packet
 *       reaching that port from another address/port gets ERROR 5 and the transfer goes on.</li>
 *   <li>All of them run on the daemon's shared netty event loops; the transfer's socket uses the
 *       loop of the listener that took the request. No thread per transfer, no lock per transfer:
 *       a {@link org.vnetd.daemon.tftp.Transfer} is touched only by its loop.</li>
 *   <li>Errors for a request (file not found, access violation, bad request) go out from port 69
 *       without opening a transfer socket; a write request gets ERROR 2 (dnsmasq answers ERROR 4;
 *       "access violation" says better why a read-only server refuses).</li>
 * </ul>
 *
 * <h2>Files</h2>
 * <ul>
 *   <li>Names follow dnsmasq: backslashes are slashes, {@code /x} means {@code ROOT/x} unless the name
 *       already starts with the root, {@code ..} is refused (ERROR 2).</li>
 *   <li>{@link org.vnetd.daemon.tftp.RootDirectory} resolves every symlink and refuses a target
 *       outside the root's real path (ERROR 2), anything but a regular file (ERROR 2), and files
 *       without the world-read bit (ERROR 2: dnsmasq's rule when it runs as root, so the daemon's
 *       privileges never decide what guests can read). Missing files are ERROR 1. The client is
 *       told RFC 1350's words only; the log line has the reason, the name and the client's address.</li>
 *   <li>Blocks are read with {@code FileChannel} positional reads, one block (or window) at a time,
 *       on the event loop: a boot loader or kernel comes from the page cache in microseconds, and a
 *       transfer never holds more than one window in memory. A file that shrinks mid-transfer simply
 *       ends early with a short block.</li>
 *   <li>The root must exist and be a directory when the network starts, else the start fails with
 *       ErrorCode TFTP (25) naming the path, and the network's earlier steps are undone (dnsmasq
 *       refuses to start in that case too).</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * <ul>
 *   <li>blksize is granted up to the bridge MTU minus 32 (1468 on Ethernet, from {@code <mtu size>});
 *       windowsize (RFC 7440) up to 32; timeout 1..255 s as asked, else 1 s doubling to 8 s.</li>
 *   <li>A packet is retransmitted at most 5 times without progress, then the transfer is dropped.
 *       Only timeouts retransmit; duplicate ACKs are ignored (no Sorcerer's Apprentice).</li>
 *   <li>At most 64 transfers per network ({@link org.vnetd.daemon.tftp.TftpService#DEFAULT_MAX_TRANSFERS});
 *       a request beyond that is dropped (the client retries later), logged once per 100.</li>
 *   <li>A repeated RRQ from a client address/port that already has a transfer is ignored: the
 *       running transfer answers it by retransmission.</li>
 *   <li>Stopping the service (network destroy, daemon shutdown) closes port 69, sends ERROR 0 to
 *       every client in a transfer, and waits up to 3 s for the transfers to let go of their files.</li>
 * </ul>
 */
package org.vnetd.daemon.tftp;
