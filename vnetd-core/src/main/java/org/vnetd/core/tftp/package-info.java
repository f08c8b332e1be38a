/**
 * TFTP without I/O, for the read-only server behind libvirt's {@code <tftp root>}:
 * {@link org.vnetd.core.tftp.TftpCodec} (RFC 1350 packets and RFC 2347 options, bounds-checked),
 * {@link org.vnetd.core.tftp.Negotiation} (blksize RFC 2348, timeout and tsize RFC 2349, windowsize
 * RFC 7440), {@link org.vnetd.core.tftp.ReadTransfer} (one transfer's state machine: retransmission
 * on timeout only, 16-bit block numbers wrapping to 0, the empty final block),
 * {@link org.vnetd.core.tftp.TftpPath} (dnsmasq's filename rules) and
 * {@link org.vnetd.core.tftp.TftpConfig} (what a network definition asks for). Sockets and files are
 * in {@code org.vnetd.daemon.tftp}.
 */
package org.vnetd.core.tftp;
