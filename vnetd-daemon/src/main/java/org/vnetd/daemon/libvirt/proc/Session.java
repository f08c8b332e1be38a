package org.vnetd.daemon.libvirt.proc;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.vnetd.daemon.libvirt.xdr.XdrWriter;

import org.vnetd.daemon.rpc.Peer;

/**
 * The state of one libvirt connection: whether CONNECT_OPEN succeeded, whether it is read-only (the
 * {@code -ro} socket always is; a client may also open read-only), and what the client registered.
 * Set-up procedures run on the connection's event loop; network procedures read it from workers.
 */
public final class Session {
    /** Sends an asynchronous message (an event) of the remote program to this connection's client. */
    @FunctionalInterface
    public interface EventSink {
        void push(int procedure, Consumer<XdrWriter> body);
    }

    private final boolean readOnlySocket;
    private final Peer peer;
    private final EventSink sink;
    /** Event callback ids of this connection → their EventHub subscriptions. */
    private final Map<Integer, Long> callbacks = new ConcurrentHashMap<>();
    private final AtomicInteger nextCallback = new AtomicInteger();
    private volatile boolean open;
    private volatile boolean readOnly;
    private volatile boolean closeCallback;
    private volatile Map<String, Object> identity = Map.of();

    public Session(boolean readOnlySocket, Peer peer, EventSink sink) {
        this.readOnlySocket = readOnlySocket;
        this.peer = peer;
        this.sink = sink;
        this.readOnly = readOnlySocket;
    }

    public Peer peer() {
        return peer;
    }

    public boolean isOpen() {
        return open;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /** CONNECT_OPEN: a read-only socket forces a read-only connection, whatever the client asked. */
    void open(boolean readOnlyRequested) {
        readOnly = readOnlySocket || readOnlyRequested;
        open = true;
    }

    void close() {
        open = false;
        closeCallback = false;
    }

    public boolean hasCloseCallback() {
        return closeCallback;
    }

    void closeCallback(boolean registered) {
        closeCallback = registered;
    }

    /** What SET_IDENTITY told us (virtqemud passes the user it acts for); kept for logs. */
    public Map<String, Object> identity() {
        return identity;
    }

    void identity(Map<String, Object> params) {
        identity = Map.copyOf(params);
    }

    EventSink sink() {
        return sink;
    }

    /** Keeps a subscription under a new callback id of this connection (ids start at 0, as libvirt's do). */
    int addCallback(java.util.function.IntFunction<Long> subscribe) {
        int id = nextCallback.getAndIncrement();
        callbacks.put(id, subscribe.apply(id));
        return id;
    }

    /** The subscription of a callback id, removed; null when the id is not registered. */
    Long removeCallback(int id) {
        return callbacks.remove(id);
    }

    public boolean hasCallbacks() {
        return !callbacks.isEmpty();
    }

    /** Every subscription still registered, removed (the connection ends). */
    public Set<Long> takeCallbacks() {
        Set<Long> all = Set.copyOf(callbacks.values());
        callbacks.clear();
        return all;
    }

    @Override
    public String toString() {
        return peer + (identity.isEmpty() ? "" : " for " + identity);
    }
}
