package org.vnetd.daemon.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A SIGHUP before the daemon is up is kept for one reload after; later ones reload each. */
class HangupsTest {
    @Test
    void aHangupDuringTheStartReloadsOnceTheReloadIsThere() throws Exception {
        LinkedBlockingQueue<String> reloads = new LinkedBlockingQueue<>();
        Signals.Hangups h = new Signals.Hangups();
        h.signalled();
        h.signalled(); // two during the start: one reload covers both
        h.reloadWith(() -> reloads.add(Thread.currentThread().getName()));
        assertEquals("sighup", reloads.poll(30, TimeUnit.SECONDS), "the reload runs on a thread of its own");
        h.signalled();
        assertEquals("sighup", reloads.poll(30, TimeUnit.SECONDS));
        assertNull(reloads.poll(200, TimeUnit.MILLISECONDS), "one reload per hangup after the start, one for those before");
    }

    @Test
    void withoutAHangupNothingReloads() throws Exception {
        LinkedBlockingQueue<String> reloads = new LinkedBlockingQueue<>();
        new Signals.Hangups().reloadWith(() -> reloads.add("reload"));
        assertNull(reloads.poll(200, TimeUnit.MILLISECONDS));
    }
}
