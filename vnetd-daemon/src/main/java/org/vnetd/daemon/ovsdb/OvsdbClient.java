package org.vnetd.daemon.ovsdb;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.ovsdb.OvsdbJson;
import org.vnetd.core.ovsdb.OvsdbRemote;
import org.vnetd.core.ovsdb.OvsdbTransaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.json.JsonObjectDecoder;

/**
 * A client of one OVSDB database (RFC 7047) over TCP or a unix socket: {@code transact},
 * {@code monitor}, and the answer to the server's {@code echo}. When the connection drops (the
 * database restarted, a cluster member left) it connects again, trying the remotes in turn with a
 * backoff from 100 ms doubling to at most 2 s, and sends its monitors again. A call made while
 * disconnected waits for the connection up to the call's timeout.
 *
 * <p>Requests in flight when the connection drops fail with {@link ErrorCode#OVN}: for a
 * {@code transact} the outcome is then unknown, so callers write transactions that can be repeated
 * (a {@code wait} or a {@code select} first, rows keyed by external_ids).
 */
public final class OvsdbClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OvsdbClient.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    /** A single message may be a monitor's whole initial contents. */
    private static final int MAX_MESSAGE = 64 * 1024 * 1024;

    private final List<OvsdbRemote> remotes;
    private final EventLoopGroup group;
    private final Duration timeout;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger echoes = new AtomicInteger();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, MonitorRequest> monitors = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private CompletableFuture<Channel> connected = new CompletableFuture<>();
    private Duration backoff = FIRST_BACKOFF;
    private volatile Runnable connectionListener = () -> { };
    private int nextRemote;
    private boolean closed;

    private record MonitorRequest(String database, JsonNode requests, OvsdbMonitor listener) {
    }

    private OvsdbClient(List<OvsdbRemote> remotes, EventLoopGroup group, Duration timeout) {
        if (remotes.isEmpty()) {
            throw new IllegalArgumentException("no OVSDB remote");
        }
        this.remotes = List.copyOf(remotes);
        this.group = group;
        this.timeout = timeout;
    }

    /** Starts connecting (in the background) to the first of {@code remotes}; calls wait for the connection. */
    public static OvsdbClient open(List<OvsdbRemote> remotes, EventLoopGroup group, Duration timeout) {
        OvsdbClient client = new OvsdbClient(remotes, group, timeout);
        client.connectNext();
        return client;
    }

    /** Applies {@code transaction} whole or not at all and returns one result per operation. */
    public List<JsonNode> transact(OvsdbTransaction transaction) {
        JsonNode result = await(call("transact", OvsdbJson.params(transaction)), "transact on " + transaction.database());
        return OvsdbJson.checkResult(transaction, result);
    }

    public List<String> listDbs() {
        JsonNode result = await(call("list_dbs", JsonNodeFactory.instance.arrayNode()), "list_dbs");
        return result.valueStream().map(JsonNode::asText).toList();
    }

    /**
     * Monitors {@code columns} of each table (an empty list: every column) and returns once the
     * initial contents were given to {@code listener}; {@code id} names the monitor on this connection.
     */
    public void monitor(String database, String id, Map<String, List<String>> columns, OvsdbMonitor listener) {
        ObjectNode requests = JsonNodeFactory.instance.objectNode();
        columns.forEach((table, cols) -> {
            ObjectNode r = requests.putObject(table);
            if (!cols.isEmpty()) {
                ArrayNode a = r.putArray("columns");
                cols.forEach(a::add);
            }
        });
        MonitorRequest m = new MonitorRequest(database, requests, listener);
        if (monitors.putIfAbsent(id, m) != null) {
            throw new IllegalArgumentException("monitor '" + id + "' exists already");
        }
        try {
            JsonNode initial = await(call("monitor", monitorParams(id, m)), "monitor of " + database);
            listener.onUpdate(initial, true);
        } catch (RuntimeException e) {
            monitors.remove(id);
            throw e;
        }
    }

    /** Called (on the event loop) each time the connection is made or lost. */
    public void onConnectionChange(Runnable listener) {
        connectionListener = listener;
    }

    public boolean isConnected() {
        synchronized (lock) {
            return connected.isDone() && !connected.isCompletedExceptionally() && connected.join().isActive();
        }
    }

    /** The remote of the current (or next) connection, for messages. */
    public String remote() {
        synchronized (lock) {
            return remotes.get(Math.floorMod(nextRemote - 1, remotes.size())).toString();
        }
    }

    /** Sends a request when connected and returns its reply's {@code result}; the future fails with {@link VnetException}. */
    public CompletableFuture<JsonNode> call(String method, JsonNode params) {
        CompletableFuture<Channel> ready;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new VnetException(ErrorCode.OVN, "the OVSDB client of " + remotes + " is closed"));
            }
            ready = connected;
        }
        return ready.thenCompose(ch -> send(ch, method, params));
    }

    private CompletableFuture<JsonNode> send(Channel ch, String method, JsonNode params) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("method", method).put("id", id);
        request.set("params", params);
        ch.writeAndFlush(OvsdbCodec.encode(ch.alloc(), request)).addListener(f -> {
            if (!f.isSuccess()) {
                fail(id, new VnetException(ErrorCode.OVN, "cannot send '" + method + "' to OVSDB at " + ch.remoteAddress() + ": "
                        + f.cause().getMessage(), f.cause()));
            }
        });
        return reply;
    }

    private JsonNode await(CompletableFuture<JsonNode> reply, String what) {
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reply.cancel(false);
            throw new VnetException(ErrorCode.OVN, "OVSDB " + what + " at " + describeRemotes() + ": no answer within "
                    + timeout.toMillis() + " ms" + (isConnected() ? "" : " (not connected; retrying with backoff)"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VnetException(ErrorCode.OVN, "interrupted while waiting for OVSDB " + what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof VnetException v) {
                throw v;
            }
            throw new VnetException(ErrorCode.OVN, "OVSDB " + what + " at " + describeRemotes() + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private String describeRemotes() {
        return remotes.size() == 1 ? remotes.getFirst().toString() : remotes.toString();
    }

    // ---- connection and reconnection

    private void connectNext() {
        OvsdbRemote remote;
        synchronized (lock) {
            if (closed) {
                return;
            }
            remote = remotes.get(nextRemote);
            nextRemote = (nextRemote + 1) % remotes.size();
        }
        Bootstrap b = new Bootstrap().group(group)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeout.toMillis(), 10_000))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new JsonObjectDecoder(MAX_MESSAGE), new OvsdbCodec.Decoder(),
                                new OvsdbHandler(OvsdbClient.this));
                    }
                });
        SocketAddress address = switch (remote) {
            case OvsdbRemote.Tcp t -> {
                b.channel(EpollSocketChannel.class);
                yield new InetSocketAddress(t.host(), t.port());
            }
            case OvsdbRemote.Unix u -> {
                b.channel(EpollDomainSocketChannel.class);
                yield new DomainSocketAddress(u.path());
            }
        };
        ChannelFuture f = b.connect(address);
        f.addListener(done -> {
            if (done.isSuccess()) {
                onConnected(f.channel(), remote);
            } else {
                LOG.debug("cannot connect to OVSDB at {}: {}", remote, done.cause().toString());
                scheduleReconnect();
            }
        });
    }

    private void onConnected(Channel ch, OvsdbRemote remote) {
        synchronized (lock) {
            if (closed) {
                ch.close();
                return;
            }
            backoff = FIRST_BACKOFF;
        }
        connections.incrementAndGet();
        LOG.info("connected to OVSDB at {}", remote);
        ch.closeFuture().addListener(f -> onDisconnected(remote));
        // monitors first, so that a caller woken by the connection sees them re-established in order
        for (Map.Entry<String, MonitorRequest> e : monitors.entrySet()) {
            MonitorRequest m = e.getValue();
            send(ch, "monitor", monitorParams(e.getKey(), m)).whenComplete((initial, err) -> {
                if (err != null) {
                    LOG.warn("cannot monitor {} again at {}: {}", m.database(), remote, err.getMessage());
                } else {
                    m.listener().onUpdate(initial, true);
                }
            });
        }
        synchronized (lock) {
            connected.complete(ch);
        }
        connectionListener.run();
    }

    private void onDisconnected(OvsdbRemote remote) {
        VnetException lost = new VnetException(ErrorCode.OVN, "connection to OVSDB at " + remote
                + " lost before the answer (a transaction may or may not have been applied)");
        pending.keySet().forEach(id -> fail(id, lost));
        synchronized (lock) {
            if (closed) {
                return;
            }
            connected = new CompletableFuture<>();
        }
        LOG.info("connection to OVSDB at {} lost; reconnecting", remote);
        connectionListener.run();
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        Duration delay;
        synchronized (lock) {
            if (closed) {
                return;
            }
            delay = backoff;
            Duration doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
        }
        group.schedule(this::connectNext, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ArrayNode monitorParams(String id, MonitorRequest m) {
        return JsonNodeFactory.instance.arrayNode().add(m.database()).add(id).add(m.requests());
    }

    /** Connections made so far (for tests and doctor: more than one means the database went away and came back). */
    int connections() {
        return connections.get();
    }

    /** The server's inactivity probes answered so far. */
    int echoesAnswered() {
        return echoes.get();
    }

    // ---- from the handler

    void onEcho() {
        echoes.incrementAndGet();
    }

    void onReply(long id, JsonNode result, JsonNode error) {
        CompletableFuture<JsonNode> reply = pending.remove(id);
        if (reply == null) {
            return;
        }
        if (error != null && !error.isNull()) {
            String details = error.isObject() ? error.path("error").asText() + " " + error.path("details").asText("") : error.toString();
            reply.completeExceptionally(new VnetException(ErrorCode.OVN, "OVSDB at " + remote() + " refused the request: " + details.trim()));
        } else {
            reply.complete(result);
        }
    }

    void onUpdate(JsonNode monitorId, JsonNode tableUpdates) {
        MonitorRequest m = monitors.get(monitorId.asText());
        if (m != null) {
            m.listener().onUpdate(tableUpdates, false);
        }
    }

    private void fail(long id, VnetException e) {
        CompletableFuture<JsonNode> reply = pending.remove(id);
        if (reply != null) {
            reply.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        CompletableFuture<Channel> current;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            current = connected;
        }
        current.completeExceptionally(new VnetException(ErrorCode.OVN, "the OVSDB client of " + remotes + " is closed"));
        if (current.isDone() && !current.isCompletedExceptionally()) {
            current.join().close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        VnetException closing = new VnetException(ErrorCode.OVN, "the OVSDB client of " + remotes + " closed before the answer");
        pending.keySet().forEach(id -> fail(id, closing));
    }
}
