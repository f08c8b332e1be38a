package org.vnetd.daemon.systemd;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.daemon.sys.Libc;

import sun.misc.Signal;

/**
 * SIGHUP (systemd's ExecReload) runs the reload action on its own thread, so a slow reload never
 * runs inside the JVM's signal dispatcher. SIGTERM/SIGINT go through the JVM's normal shutdown hooks.
 *
 * <p>The handler is installed before the daemon listens ({@link #catchHangups}) and given its reload once the
 * daemon is up ({@link Hangups#reloadWith}): without a handler the JVM takes SIGHUP for a request to exit, so a
 * SIGHUP sent as soon as the daemon answers would have stopped it. One that arrives during the start is
 * answered by one reload after it.
 */
public final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    private static final int SIGHUP = 1;

    /**
     * Takes over SIGHUP from now on; reloads wait for {@link Hangups#reloadWith}. A SIGHUP inherited ignored
     * (started under {@code nohup}, or by a shell or CI runner that ignores it) is un-ignored first: the JVM
     * silently declines a handler for an ignored SIGHUP, and the daemon would never reload.
     */
    public static Hangups catchHangups() {
        if (Libc.unignoreSignal(SIGHUP)) {
            LOG.info("SIGHUP was ignored by whoever started vnetd; it reloads the daemon from now on");
        }
        Hangups h = new Hangups();
        Signal.handle(new Signal("HUP"), sig -> h.signalled());
        return h;
    }

    /** The SIGHUPs of one daemon: each runs the reload, on a thread of its own, once there is one. */
    public static final class Hangups {
        private Runnable reload;
        private boolean pending;

        Hangups() {
        }

        /** From now on a SIGHUP runs {@code action}; one received before runs it now. */
        public synchronized void reloadWith(Runnable action) {
            reload = action;
            if (pending) {
                pending = false;
                run(action);
            }
        }

        synchronized void signalled() {
            if (reload == null) {
                LOG.info("SIGHUP during the start: reloading once the daemon is up");
                pending = true;
                return;
            }
            run(reload);
        }

        private static void run(Runnable action) {
            Thread.ofPlatform().name("sighup").start(() -> {
                LOG.info("SIGHUP: reloading configuration and firewall rules");
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.error("reload failed: {}", e.getMessage());
                }
            });
        }
    }
}
