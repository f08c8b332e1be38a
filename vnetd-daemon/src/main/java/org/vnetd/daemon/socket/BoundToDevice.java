package org.vnetd.daemon.socket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.netty.channel.unix.RawUnixChannelOption;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * {@code SO_BINDTODEVICE} for netty's epoll channels: a service on a network's bridge (DHCP on
 * 0.0.0.0:67, TFTP) receives and sends only through that bridge, so two networks' servers on the same
 * port never see each other's clients.
 */
public final class BoundToDevice {
    /** SOL_SOCKET, SO_BINDTODEVICE, IFNAMSIZ. */
    public static final RawUnixChannelOption OPTION = new RawUnixChannelOption("SO_BINDTODEVICE", 1, 25, 16);

    private BoundToDevice() {
    }

    /** The option's value for {@code name}: the interface name NUL-padded to IFNAMSIZ. */
    public static ByteBuffer value(String name, ErrorCode code) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length == 0 || n.length > 15) {
            throw new VnetException(code, "interface name '" + name + "' must be 1-15 characters");
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(16);
        buf.put(n);
        while (buf.hasRemaining()) {
            buf.put((byte) 0);
        }
        buf.flip();
        return buf;
    }
}
