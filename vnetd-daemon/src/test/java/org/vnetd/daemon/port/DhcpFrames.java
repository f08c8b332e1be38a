package org.vnetd.daemon.port;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

import org.vnetd.core.net.MacAddress;

import io.netty.channel.unix.FileDescriptor;

/**
 * A guest's first DHCP frames, built by hand as Ethernet/IPv4/UDP/BOOTP (RFC 2131, 2132), written to
 * and read from a tap descriptor: what a VM's NIC would send and receive.
 */
final class DhcpFrames {
    static final int DISCOVER = 1;
    static final int OFFER = 2;
    static final int REQUEST = 3;
    static final int ACK = 5;

    /** A reply the test cares about: message type, offered address, server identifier. */
    record Reply(int type, Inet4Address yiaddr, Inet4Address server) {
    }

    private DhcpFrames() {
    }

    static ByteBuffer discover(MacAddress mac, int xid) {
        return frame(mac, xid, DISCOVER, null, null);
    }

    static ByteBuffer request(MacAddress mac, int xid, Inet4Address ip, Inet4Address server) {
        return frame(mac, xid, REQUEST, ip, server);
    }

    private static ByteBuffer frame(MacAddress mac, int xid, int type, Inet4Address requested, Inet4Address server) {
        ByteBuffer dhcp = ByteBuffer.allocate(300);
        dhcp.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0).putInt(xid).putShort((short) 0)
                .putShort((short) 0x8000) // broadcast flag: the client has no address yet
                .put(new byte[16]).put(mac.octets()).put(new byte[10]).put(new byte[64 + 128])
                .putInt(0x63825363)
                .put((byte) 53).put((byte) 1).put((byte) type);
        if (requested != null) {
            dhcp.put((byte) 50).put((byte) 4).put(requested.getAddress());
            dhcp.put((byte) 54).put((byte) 4).put(server.getAddress());
        }
        dhcp.put((byte) 255);
        dhcp.position(300).flip();
        int udpLen = 8 + dhcp.remaining();
        int ipLen = 20 + udpLen;
        ByteBuffer f = ByteBuffer.allocateDirect(14 + ipLen);
        f.put(new byte[] {-1, -1, -1, -1, -1, -1}).put(mac.octets()).putShort((short) 0x0800);
        int ipStart = f.position();
        f.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) 0).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(0).putInt(0xffffffff);
        f.putShort(ipStart + 10, checksum(f, ipStart, 20));
        f.putShort((short) 68).putShort((short) 67).putShort((short) udpLen).putShort((short) 0).put(dhcp);
        return f.flip();
    }

    private static short checksum(ByteBuffer b, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += b.getShort(off + i) & 0xffff;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }

    static void write(FileDescriptor fd, ByteBuffer frame) throws Exception {
        int n = fd.write(frame, frame.position(), frame.limit());
        if (n != frame.remaining()) {
            throw new AssertionError("short write to the tap: " + n + " of " + frame.remaining());
        }
    }

    /**
     * Sends {@code frame} and waits for the reply with {@code xid}, sending again every 500 ms as DHCP
     * clients do (RFC 2131 4.1): the first port on an empty bridge gives the bridge its carrier, and
     * the kernel's link watcher may take up to a second to let the bridge transmit again. Null if no
     * reply within {@code millis}.
     */
    static Reply exchange(FileDescriptor fd, ByteBuffer frame, int xid, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            write(fd, frame.duplicate());
            Reply r = await(fd, xid, Math.min(500, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** Reads frames from the tap until the DHCP reply with {@code xid} comes, or {@code millis} pass (then null). */
    static Reply await(FileDescriptor fd, int xid, long millis) throws Exception {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            buf.clear();
            int n = fd.read(buf, 0, buf.capacity());
            if (n <= 0) {
                Thread.sleep(1);
                continue;
            }
            Reply r = parse(buf, n, xid);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private static Reply parse(ByteBuffer f, int n, int xid) throws UnknownHostException {
        if (n < 14 + 20 + 8 + 240 || (f.getShort(12) & 0xffff) != 0x0800 || f.get(14 + 9) != 17) {
            return null;
        }
        int ihl = (f.get(14) & 0x0f) * 4;
        int udp = 14 + ihl;
        if ((f.getShort(udp) & 0xffff) != 67 || (f.getShort(udp + 2) & 0xffff) != 68) {
            return null;
        }
        int d = udp + 8;
        if (f.get(d) != 2 || f.getInt(d + 4) != xid) {
            return null;
        }
        byte[] yi = new byte[4];
        f.get(d + 16, yi);
        int type = 0;
        Inet4Address server = null;
        int i = d + 240;
        while (i < n && (f.get(i) & 0xff) != 255) {
            int code = f.get(i) & 0xff;
            if (code == 0) {
                i++;
                continue;
            }
            int len = f.get(i + 1) & 0xff;
            if (code == 53) {
                type = f.get(i + 2);
            } else if (code == 54 && len == 4) {
                byte[] s = new byte[4];
                f.get(i + 2, s);
                server = (Inet4Address) InetAddress.getByAddress(s);
            }
            i += 2 + len;
        }
        return new Reply(type, (Inet4Address) InetAddress.getByAddress(yi), server);
    }
}
