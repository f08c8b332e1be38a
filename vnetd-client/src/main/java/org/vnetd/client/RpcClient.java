package org.vnetd.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.Request;
import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.core.rpc.RpcErrors;

/**
 * The client of the JSON RPC (docs/rpc.md) over the daemon's Unix stream socket: each message is a 4-byte
 * big-endian length and that many bytes of UTF-8 JSON. {@link #call} sends one request at a time and waits for
 * its reply; notifications that arrive meanwhile are queued for {@link #nextNotification}. {@link #send} and
 * {@link #receive} move whole frames for callers that write or read the JSON themselves (vnetd --call, the
 * daemon's tests). The JDK's Unix sockets, no netty; not thread-safe: one caller at a time.
 */
public final class RpcClient implements AutoCloseable {
    /** The daemon closes connections over 4 MiB; refusing larger replies keeps a bad peer from exhausting memory. */
    static final int MAX_FRAME = RpcCodec.MAX_FRAME;

    private final Path socket;
    private final SocketChannel channel;
    private final Selector selector;
    private final Deque<Map<String, Object>> notifications = new ArrayDeque<>();
    private long nextId = 1;

    private RpcClient(Path socket, SocketChannel channel, Selector selector) {
        this.socket = socket;
        this.channel = channel;
        this.selector = selector;
    }

    public static RpcClient connect(Path socket) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            Selector selector = Selector.open();
            ch.register(selector, SelectionKey.OP_READ);
            return new RpcClient(socket, ch, selector);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new DaemonUnreachableException(socket, reason(socket, e), e);
        }
    }

    /** The system's words for why connect failed, as strerror would put them. */
    static String reason(Path socket, IOException e) {
        if (e instanceof NoSuchFileException || !Files.exists(socket)) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    public Path socket() {
        return socket;
    }

    /** Sends the request's method with its params (docs/rpc.md) and waits for the reply, as {@link #call(String, Map)}. */
    public Object call(Request request) {
        return call(RequestParams.method(request), RequestParams.params(request));
    }

    /** Sends {@code method} and waits for its reply; a daemon error comes back as a {@link VnetException}. */
    public Object call(String method, Map<String, ?> params) {
        long id = nextId++;
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("jsonrpc", "2.0");
        req.put("id", id);
        req.put("method", method);
        if (params != null && !params.isEmpty()) {
            req.put("params", params);
        }
        try {
            writeFrame(Json.write(req));
            while (true) {
                Map<String, Object> msg = readFrame(null).orElseThrow();
                if (msg.get("id") == null) {
                    if (msg.get("error") != null) {
                        // a protocol error the daemon could not tie to a request (e.g. frame too large)
                        throw toException(Json.object(msg.get("error"), "error"));
                    }
                    notifications.add(msg);
                    continue;
                }
                if (!(msg.get("id") instanceof Number n) || n.longValue() != id) {
                    continue; // a late reply to a request we gave up on; not ours
                }
                if (msg.get("error") != null) {
                    throw toException(Json.object(msg.get("error"), "error"));
                }
                return msg.get("result");
            }
        } catch (IOException e) {
            throw new DaemonUnreachableException(socket, "the daemon closed the connection ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
    }

    /** The next server-sent notification, waiting at most {@code timeout} (null: forever). */
    public Optional<Map<String, Object>> nextNotification(Duration timeout) {
        if (!notifications.isEmpty()) {
            return Optional.of(notifications.poll());
        }
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Optional<Map<String, Object>> msg = readFrame(timeout == null ? null : deadline);
                if (msg.isEmpty()) {
                    return Optional.empty();
                }
                if (msg.get().get("id") == null) {
                    return msg;
                }
            }
        } catch (IOException e) {
            throw new DaemonUnreachableException(socket, "the daemon closed the connection", e);
        }
    }

    static VnetException toException(Map<String, Object> error) {
        int code = (int) Json.number(error, "code", ErrorCode.INTERNAL.number());
        Object message = error.get("message");
        String name = error.get("data") instanceof Map<?, ?> data && data.get("name") != null ? data.get("name").toString() : null;
        return RpcErrors.toException(code, message == null ? null : message.toString(), name);
    }

    /** Sends {@code frame} (one JSON message) with its length. */
    public void send(byte[] frame) throws IOException {
        writeFrame(frame);
    }

    /** The next frame the daemon sends, waiting for it; {@link EOFException} when the daemon closed the connection. */
    public byte[] receive() throws IOException {
        return readFrameBytes(null).orElseThrow();
    }

    /** The socket, for tests that write what no well-behaved client would. */
    public SocketChannel channel() {
        return channel;
    }

    private void writeFrame(byte[] body) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4 + body.length);
        buf.putInt(body.length).put(body).flip();
        while (buf.hasRemaining()) {
            if (channel.write(buf) == 0) {
                selector.selectNow();
                Thread.onSpinWait();
            }
        }
    }

    /** Reads one frame as a JSON object; empty when {@code deadlineNanos} passes first. */
    private Optional<Map<String, Object>> readFrame(Long deadlineNanos) throws IOException {
        Optional<byte[]> body = readFrameBytes(deadlineNanos);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.object(Json.parse(body.get()), "message"));
        } catch (IllegalArgumentException e) {
            throw new IOException("the daemon sent a message that is not a JSON object", e);
        }
    }

    /** Reads one frame; empty when {@code deadlineNanos} passes first. */
    private Optional<byte[]> readFrameBytes(Long deadlineNanos) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4);
        if (!fill(header, deadlineNanos, true)) {
            return Optional.empty();
        }
        int len = header.flip().getInt();
        if (len < 0 || len > MAX_FRAME) {
            throw new IOException("frame of " + len + " bytes from the daemon exceeds the 4 MiB limit");
        }
        ByteBuffer body = ByteBuffer.allocate(len);
        fill(body, null, false);
        return Optional.of(body.array());
    }

    private boolean fill(ByteBuffer buf, Long deadlineNanos, boolean mayTimeOut) throws IOException {
        while (buf.hasRemaining()) {
            int n = channel.read(buf);
            if (n < 0) {
                throw new EOFException("end of stream");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while waiting for the daemon");
            }
            if (n > 0) {
                continue;
            }
            long waitMs = 0;
            if (deadlineNanos != null) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    if (mayTimeOut && buf.position() == 0) {
                        return false;
                    }
                    left = 1_000_000;
                }
                waitMs = Math.max(1, left / 1_000_000);
            }
            selector.select(waitMs);
            selector.selectedKeys().clear();
        }
        return true;
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing a selector only fails if it is already broken; nothing to clean up then
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the process is about to report the original error; a failed close adds nothing
            }
        }
    }
}
