package org.vnetd.daemon.socket;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.unix.Socket;

import org.vnetd.daemon.sys.Libc;

/**
 * Sends datagrams through an epoll datagram channel's socket from a thread other than the channel's
 * event loop, with no hand-off to the loop: one {@code sendto} on the calling thread. The DHCP sync
 * thread sends each ACK this way as soon as its lease is durable; a hand-off to the loop cost one more
 * thread wake-up per synced batch (for a lone guest, one more on its REQUEST-&gt;ACK path).
 *
 * <p>The sender holds a duplicate of the channel's descriptor ({@code F_DUPFD_CLOEXEC}): the socket
 * stays open until {@link #close()}, whatever the channel does, so a send can never land on a
 * descriptor number that the channel gave back and something else took.
 */
public final class DatagramSender implements AutoCloseable {
    private final Socket socket;

    private DatagramSender(Socket socket) {
        this.socket = socket;
    }

    /** A sender on a duplicate of {@code channel}'s socket (the channel must be open). */
    public static DatagramSender of(EpollDatagramChannel channel) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            int fd = Libc.fcntl(st, channel.fd().intValue(), Libc.F_DUPFD_CLOEXEC, 0);
            if (fd < 0) {
                int errno = st.errno();
                throw new IOException("cannot duplicate the descriptor of " + channel + ": fcntl(F_DUPFD_CLOEXEC): "
                        + Libc.strerror(errno) + " (errno " + errno + ")");
            }
            return new DatagramSender(new Socket(fd));
        }
    }

    /**
     * Sends the readable bytes of {@code content} to {@code to}; returns false when the socket's send
     * buffer is full (the socket is non-blocking) and nothing was sent.
     *
     * @throws IOException the kernel refused the datagram (no route, a firewall, a closed sender)
     */
    public boolean send(ByteBuf content, InetSocketAddress to) throws IOException {
        int n;
        if (content.hasMemoryAddress()) {
            n = socket.sendToAddress(content.memoryAddress(), content.readerIndex(), content.writerIndex(),
                    to.getAddress(), to.getPort());
        } else {
            // the native sendto reads a direct buffer only: a heap one is copied into one
            ByteBuffer nio = content.isDirect() && content.nioBufferCount() == 1 ? content.nioBuffer()
                    : ByteBuffer.allocateDirect(content.readableBytes()).put(content.nioBuffer()).flip();
            n = socket.sendTo(nio, nio.position(), nio.limit(), to.getAddress(), to.getPort());
        }
        return n > 0 || !content.isReadable();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
