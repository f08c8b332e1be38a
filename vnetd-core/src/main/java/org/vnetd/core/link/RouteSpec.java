package org.vnetd.core.link;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import org.vnetd.core.net.IpPrefix;

/**
 * A route in the main table, as libvirt's {@code <route address=... prefix=... gateway=... metric=.../>}
 * or a routed network's device route. At least one of {@code gateway} and {@code device} is given.
 * The destination's host bits must be zero (the kernel refuses them with EINVAL).
 */
public record RouteSpec(IpPrefix destination, Optional<InetAddress> gateway, Optional<String> device, OptionalInt metric) {
    public RouteSpec {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(metric, "metric");
        if (gateway.isEmpty() && device.isEmpty()) {
            throw new IllegalArgumentException("route to " + destination + " needs a gateway or a device");
        }
        device.ifPresent(LinkNames::check);
        if (gateway.isPresent() && (gateway.get() instanceof java.net.Inet4Address) != destination.isIpv4()) {
            throw new IllegalArgumentException("gateway " + gateway.get().getHostAddress() + " and destination "
                    + destination + " are of different address families");
        }
        if (metric.isPresent() && metric.getAsInt() < 0) {
            throw new IllegalArgumentException("route metric must not be negative");
        }
    }

    public static RouteSpec viaDevice(IpPrefix destination, String device) {
        return new RouteSpec(destination, Optional.empty(), Optional.of(device), OptionalInt.empty());
    }

    public static RouteSpec viaGateway(IpPrefix destination, InetAddress gateway) {
        return new RouteSpec(destination, Optional.of(gateway), Optional.empty(), OptionalInt.empty());
    }

    public RouteSpec withMetric(int value) {
        return new RouteSpec(destination, gateway, device, OptionalInt.of(value));
    }

    public RouteSpec withDevice(String name) {
        return new RouteSpec(destination, gateway, Optional.of(name), metric);
    }
}
