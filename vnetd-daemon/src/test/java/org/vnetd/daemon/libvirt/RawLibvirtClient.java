package org.vnetd.daemon.libvirt;

import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.vnetd.daemon.libvirt.wire.LibvirtMessage;
import org.vnetd.daemon.libvirt.wire.MessageCodec;
import org.vnetd.daemon.libvirt.wire.MessageHeader;
import org.vnetd.daemon.libvirt.wire.RemoteError;
import org.vnetd.daemon.libvirt.xdr.XdrReader;
import org.vnetd.daemon.libvirt.xdr.XdrWriter;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/** A blocking libvirt-protocol client for tests: raw frames out, decoded messages in. */
final class RawLibvirtClient implements AutoCloseable {
    private final SocketChannel ch;
    private int serial;

    RawLibvirtClient(Path socket) throws IOException {
        ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    }

    /** Sends a call of the remote program and returns its serial. */
    int send(int procedure, Consumer<XdrWriter> args) throws IOException {
        int s = ++serial;
        sendRaw(new MessageHeader(MessageHeader.REMOTE_PROGRAM, MessageHeader.REMOTE_VERSION, procedure, MessageHeader.CALL, s,
                MessageHeader.OK), args);
        return s;
    }

    void sendRaw(MessageHeader h, Consumer<XdrWriter> payload) throws IOException {
        ByteBuf frame = MessageCodec.encode(ByteBufAllocator.DEFAULT, h, payload);
        try {
            writeBytes(frame.nioBuffer());
        } finally {
            frame.release();
        }
    }

    void writeBytes(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    LibvirtMessage receive() throws IOException {
        ByteBuffer len = read(4);
        int n = len.getInt();
        ByteBuffer body = read(n - 4);
        return MessageCodec.decode(Unpooled.wrappedBuffer(body));
    }

    /** Calls and expects success; returns the result's reader. */
    XdrReader call(int procedure, Consumer<XdrWriter> args) throws IOException {
        int s = send(procedure, args);
        LibvirtMessage m = receive();
        if (m.header().serial() != s || m.header().status() != MessageHeader.OK) {
            throw new AssertionError("call " + procedure + " failed: " + m.header() + " " + error(m));
        }
        return new XdrReader(Unpooled.wrappedBuffer(m.payload()));
    }

    /** Calls and expects an error reply. */
    RemoteError fail(int procedure, Consumer<XdrWriter> args) throws IOException {
        int s = send(procedure, args);
        LibvirtMessage m = receive();
        if (m.header().serial() != s || m.header().status() != MessageHeader.ERROR) {
            throw new AssertionError("call " + procedure + " did not fail: " + m.header());
        }
        return error(m);
    }

    static RemoteError error(LibvirtMessage m) {
        XdrReader r = new XdrReader(Unpooled.wrappedBuffer(m.payload()));
        int code = r.readInt();
        int domain = r.readInt();
        String message = r.readOptional(x -> x.readString(RemoteError.STRING_MAX)).orElse(null);
        return new RemoteError(code, domain, message);
    }

    /** True when the server closed the connection (EOF before any byte). */
    boolean closedByServer() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        try {
            return ch.read(b) < 0;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private ByteBuffer read(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException("connection closed after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.flip();
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
