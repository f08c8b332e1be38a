package org.vnetd.daemon.libvirt.proc;

import java.util.Map;

import org.vnetd.daemon.rpc.Peer;

/**
 * The state of one libvirt connection: whether CONNECT_OPEN succeeded, whether it is read-only (the
 * {@code -ro} socket always is; a client may also open read-only), and what the client registered.
 * Set-up procedures run on the connection's event loop; network procedures read it from workers.
 */
public final class Session {
    private final boolean readOnlySocket;
    private final Peer peer;
    private volatile boolean open;
    private volatile boolean readOnly;
    private volatile boolean closeCallback;
    private volatile Map<String, Object> identity = Map.of();

    public Session(boolean readOnlySocket, Peer peer) {
        this.readOnlySocket = readOnlySocket;
        this.peer = peer;
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

    @Override
    public String toString() {
        return peer + (identity.isEmpty() ? "" : " for " + identity);
    }
}
