package org.vnetd.testing.dhcp;

import java.time.Duration;

/**
 * A real DHCP client running in its namespace. {@link #start()} launches it (it keeps running and
 * renews); {@link #awaitBound} waits for its first lease; {@link #awaitRenew} for a renewal
 * (the test sets a short lease time); {@link #release()} makes it send DHCPRELEASE.
 */
public interface DhcpClientDriver extends AutoCloseable {
    Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    String name();

    /** The namespace and interface this client runs on. */
    DhcpClientNs clientNs();

    void start();

    DhcpLeaseInfo awaitBound(Duration timeout);

    DhcpLeaseInfo awaitRenew(Duration timeout);

    void release();

    /** Kills the client (no release). */
    @Override
    void close();
}
