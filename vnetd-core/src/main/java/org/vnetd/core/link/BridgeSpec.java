package org.vnetd.core.link;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import org.vnetd.core.net.MacAddress;

/**
 * A bridge to create: libvirt's {@code <bridge name='virbr0' stp='on' delay='0'/>} plus the
 * {@code <mac>} and {@code <mtu>} elements. The forward delay is kept in the kernel's unit
 * (centiseconds), so durations finer than 10 ms are refused rather than rounded. With STP on, the kernel
 * raises a delay below 2 s to 2 s when STP starts (libvirt's default network gets the same).
 */
public record BridgeSpec(String name, boolean stp, Duration forwardDelay, Optional<MacAddress> mac, OptionalInt mtu) {
    public BridgeSpec {
        LinkNames.check(name);
        Objects.requireNonNull(forwardDelay, "forwardDelay");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(mtu, "mtu");
        if (forwardDelay.isNegative() || forwardDelay.toMillis() % 10 != 0) {
            throw new IllegalArgumentException("forward delay " + forwardDelay + " of bridge " + name
                    + " must be a non-negative multiple of 10 ms");
        }
    }

    /** libvirt's defaults for a new network bridge: STP on, forward delay 0. */
    public static BridgeSpec of(String name) {
        return new BridgeSpec(name, true, Duration.ZERO, Optional.empty(), OptionalInt.empty());
    }

    public BridgeSpec withStp(boolean on) {
        return new BridgeSpec(name, on, forwardDelay, mac, mtu);
    }

    public BridgeSpec withForwardDelay(Duration delay) {
        return new BridgeSpec(name, stp, delay, mac, mtu);
    }

    public BridgeSpec withMac(MacAddress address) {
        return new BridgeSpec(name, stp, forwardDelay, Optional.of(address), mtu);
    }

    public BridgeSpec withMtu(int value) {
        return new BridgeSpec(name, stp, forwardDelay, mac, OptionalInt.of(value));
    }
}
