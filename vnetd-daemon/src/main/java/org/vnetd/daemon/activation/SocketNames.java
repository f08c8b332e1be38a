package org.vnetd.daemon.activation;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The names under which the services' sockets are kept in systemd's file-descriptor store
 * ({@code FDNAME=}) and passed back at start ({@code LISTEN_FDNAMES}). A name says everything the socket
 * was bound to, so one adopted under it is the socket the service would bind again; ':' is not allowed
 * in a name (sd_pid_notify_with_fds(3)), so IPv6 addresses are written with '-'.
 */
public final class SocketNames {
    /** FileDescriptorName= of the socket units (systemd/vnetd*.socket). */
    public static final String RPC = "vnetd.sock";
    public static final String RPC_READ_ONLY = "vnetd-ro.sock";
    public static final String LIBVIRT = "virtnetworkd-sock";
    public static final String LIBVIRT_READ_ONLY = "virtnetworkd-sock-ro";

    private SocketNames() {
    }

    /** UDP 0.0.0.0:67 on the bridge. */
    public static String dhcp(String bridge) {
        return "dhcp4." + bridge;
    }

    /** UDP [::]:547 on the bridge. */
    public static String dhcp6(String bridge) {
        return "dhcp6." + bridge;
    }

    /** The raw ICMPv6 socket of router advertisements on the bridge. */
    public static String ra(String bridge) {
        return "ra." + bridge;
    }

    /** DNS on {@code address:port}, bound to {@code device} (the bridge, or lo for the host's own queries). */
    public static String dns(boolean tcp, String device, InetAddress address, int port) {
        String a = address instanceof Inet6Address ? address.getHostAddress().replace(':', '-') : address.getHostAddress();
        return "dns-" + (tcp ? "tcp" : "udp") + "." + device + "." + a + "." + port;
    }
}
