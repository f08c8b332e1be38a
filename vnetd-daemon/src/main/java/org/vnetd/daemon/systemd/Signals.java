package org.vnetd.daemon.systemd;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;

/**
 * SIGHUP (systemd's ExecReload) runs the reload action on its own thread, so a slow reload never
 * runs inside the JVM's signal dispatcher. SIGTERM/SIGINT go through the JVM's normal shutdown hooks.
 */
public final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    public static void onHangup(Runnable reload) {
        Signal.handle(new Signal("HUP"), sig -> Thread.ofPlatform().name("sighup").start(() -> {
            LOG.info("SIGHUP: reloading configuration and firewall rules");
            try {
                reload.run();
            } catch (RuntimeException e) {
                LOG.error("reload failed: {}", e.getMessage());
            }
        }));
    }
}
