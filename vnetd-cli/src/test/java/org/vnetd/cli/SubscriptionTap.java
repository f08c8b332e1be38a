package org.vnetd.cli;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A socket between vnetctl and the daemon that forwards every frame unchanged and notes when the daemon
 * answers an {@code events.subscribe}: that reply is the RPC's "subscribed" signal (docs/rpc.md), so a test
 * can cause the event {@code net-event} waits for without guessing how long subscribing takes. net-event
 * itself prints nothing until an event arrives, exactly as virsh does.
 */
final class SubscriptionTap implements AutoCloseable {
    private static final Pattern SUBSCRIBE = Pattern.compile("\"method\"\\s*:\\s*\"events\\.subscribe\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\"|-?\\d+)");

    private final Path path;
    private final Path daemon;
    private final ServerSocketChannel server;
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();

    private SubscriptionTap(Path path, Path daemon) throws IOException {
        this.path = path;
        this.daemon = daemon;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Thread.ofVirtual().name("tap-accept").start(this::acceptLoop);
    }

    /** A tap at {@code path} in front of the daemon socket {@code daemon}. */
    static SubscriptionTap open(Path path, Path daemon) throws IOException {
        Files.deleteIfExists(path);
        return new SubscriptionTap(path, daemon);
    }

    /** The socket to give vnetctl ({@code -c}). */
    Path path() {
        return path;
    }

    /** Completes when the daemon has answered an {@code events.subscribe} sent through this tap. */
    CompletableFuture<Void> subscribed() {
        return subscribed;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                SocketChannel up = SocketChannel.open(UnixDomainSocketAddress.of(daemon));
                open.add(client);
                open.add(up);
                Set<String> subscribeIds = ConcurrentHashMap.newKeySet();
                Thread.ofVirtual().name("tap-up").start(() -> pump(client, up, frame -> {
                    if (SUBSCRIBE.matcher(frame).find()) {
                        idOf(frame).ifPresent(subscribeIds::add);
                    }
                }));
                Thread.ofVirtual().name("tap-down").start(() -> pump(up, client, frame -> {
                    if (frame.contains("\"result\"") && idOf(frame).filter(subscribeIds::contains).isPresent()) {
                        subscribed.complete(null);
                    }
                }));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Copies length-prefixed frames from {@code in} to {@code out}, showing each to {@code look} first. */
    private static void pump(SocketChannel in, SocketChannel out, Consumer<String> look) {
        try {
            ByteBuffer header = ByteBuffer.allocate(4);
            while (true) {
                header.clear();
                readFully(in, header);
                int length = header.flip().getInt(0);
                ByteBuffer body = ByteBuffer.allocate(length);
                readFully(in, body);
                look.accept(new String(body.array(), StandardCharsets.UTF_8));
                header.rewind();
                body.flip();
                while (header.hasRemaining() || body.hasRemaining()) {
                    out.write(new ByteBuffer[] {header, body});
                }
            }
        } catch (IOException e) {
            // either side hung up: hang up the other one too
            closeQuietly(in);
            closeQuietly(out);
        }
    }

    private static void readFully(SocketChannel in, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (in.read(into) < 0) {
                throw new EOFException();
            }
        }
    }

    private static java.util.Optional<String> idOf(String frame) {
        Matcher m = ID.matcher(frame);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    /** Waits for {@code subscribed()} or {@code command} ending first (then it failed before subscribing). */
    static void awaitSubscribed(SubscriptionTap tap, CompletableFuture<?> command, Duration timeout) throws Exception {
        CompletableFuture.anyOf(tap.subscribed(), command).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!tap.subscribed().isDone()) {
            throw new AssertionError("the command ended before it subscribed: " + command.get());
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(SubscriptionTap::closeQuietly);
        Files.deleteIfExists(path);
    }
}
