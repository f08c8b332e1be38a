package org.vnetd.daemon.systemd;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A process that catches SIGHUP as the daemon does, says "ready", and exits 0 on its first reload (1 if none comes). */
public final class HangupProbe {
    private HangupProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        CountDownLatch reloaded = new CountDownLatch(1);
        Signals.catchHangups().reloadWith(reloaded::countDown);
        System.out.println("ready");
        System.out.flush();
        System.exit(reloaded.await(60, TimeUnit.SECONDS) ? 0 : 1);
    }
}
