package org.vnetd.daemon.systemd;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify(3) without libsystemd: one datagram to {@code $NOTIFY_SOCKET} (a path, or an abstract
 * name written with a leading '@'), with descriptors for systemd's file-descriptor store when asked
 * ({@link NotifyDatagram}). Without the variable (not started by systemd) it does nothing.
 */
public final class SdNotify {
    private static final Logger LOG = LoggerFactory.getLogger(SdNotify.class);

    private final Optional<String> socket;

    public SdNotify(Optional<String> socket) {
        this.socket = socket.filter(s -> !s.isEmpty());
    }

    public static SdNotify fromEnvironment() {
        return new SdNotify(Optional.ofNullable(System.getenv("NOTIFY_SOCKET")));
    }

    public boolean enabled() {
        return socket.isPresent();
    }

    public void ready() {
        send("READY=1\nSTATUS=running\nMAINPID=" + ProcessHandle.current().pid());
    }

    public void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + TimeUnit.NANOSECONDS.toMicros(System.nanoTime()));
    }

    public void stopping() {
        send("STOPPING=1");
    }

    public void status(String text) {
        send("STATUS=" + text.replace('\n', ' '));
    }

    /** Sends one message; failures are logged, not thrown (systemd's own sd_notify does the same). */
    public void send(String message) {
        sendWithFds(message);
    }

    /**
     * Sends one message with descriptors attached ({@code FDSTORE=1}); false when it could not be sent
     * (logged) or there is no service manager to send it to.
     */
    public boolean sendWithFds(String message, int... fds) {
        if (socket.isEmpty()) {
            return false;
        }
        try {
            NotifyDatagram.send(socket.get(), message, fds);
            LOG.debug("sd_notify: {}{}", message.replace('\n', ' '), fds.length == 0 ? "" : " (" + fds.length + " fd)");
            return true;
        } catch (RuntimeException e) {
            LOG.warn("{}", e.getMessage());
            return false;
        }
    }
}
