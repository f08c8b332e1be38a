package org.vnetd.core.tftp;

import java.time.Duration;

/**
 * What the server grants and how long it waits.
 *
 * @param maxBlockSize   the largest blksize granted (RFC 2348 allows 8..65464): a block must fit the
 *                       link's MTU unfragmented (IP 20 + UDP 8 + TFTP 4 octets of headers)
 * @param maxWindow      the largest windowsize granted (RFC 7440)
 * @param firstTimeout   the first retransmission wait when the client asked for no timeout; it
 *                       doubles with every retransmission up to {@code maxTimeout}
 * @param maxTimeout     the cap of that backoff
 * @param maxRetransmits how many times one packet (or window) is sent again before the transfer is
 *                       given up
 */
public record TftpLimits(int maxBlockSize, int maxWindow, Duration firstTimeout, Duration maxTimeout, int maxRetransmits) {
    public static final int MIN_BLOCK_SIZE = 8;
    public static final int MAX_BLOCK_SIZE = 65_464;
    public static final int DEFAULT_BLOCK_SIZE = 512;
    /** IPv4 20 + UDP 8 + TFTP 4. */
    public static final int HEADERS = 32;
    public static final int ETHERNET_MTU = 1500;

    public TftpLimits {
        if (maxBlockSize < MIN_BLOCK_SIZE || maxBlockSize > MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("maxBlockSize " + maxBlockSize + " outside 8..65464");
        }
        if (maxWindow < 1 || maxWindow > 0xffff) {
            throw new IllegalArgumentException("maxWindow " + maxWindow);
        }
        if (firstTimeout.isNegative() || firstTimeout.isZero() || maxTimeout.compareTo(firstTimeout) < 0) {
            throw new IllegalArgumentException("timeouts " + firstTimeout + ", " + maxTimeout);
        }
        if (maxRetransmits < 0) {
            throw new IllegalArgumentException("maxRetransmits " + maxRetransmits);
        }
    }

    /** Defaults for a link of {@code mtu} bytes: blksize up to mtu-32 (1468 on Ethernet), window up to 32. */
    public static TftpLimits forMtu(int mtu) {
        int block = Math.clamp((long) mtu - HEADERS, DEFAULT_BLOCK_SIZE, MAX_BLOCK_SIZE);
        return new TftpLimits(block, 32, Duration.ofSeconds(1), Duration.ofSeconds(8), 5);
    }
}
