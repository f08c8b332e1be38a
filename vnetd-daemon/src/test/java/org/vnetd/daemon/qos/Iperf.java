package org.vnetd.daemon.qos;

import java.time.Duration;

import org.vnetd.testing.Await;
import org.vnetd.testing.Exec;
import org.vnetd.testing.TestNetns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * iperf3 between test namespaces: a one-off server ({@code -1}) in the receiving namespace, a TCP client sending
 * for a bounded time from another, the rate the receiver measured after the first second (slow start and
 * the shaper's initial burst, {@code -O 1}, left out).
 */
final class Iperf {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Iperf() {
    }

    /** Starts a one-off server on {@code address}:{@code port} in {@code ns} and waits until it listens. */
    static Process server(TestNetns ns, String address, int port) {
        Process p = ns.start("iperf3", "-s", "-1", "-B", address, "-p", Integer.toString(port));
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(50), "iperf3 listening on " + address + ":" + port,
                () -> ns.execOk("ss", "-ltnH").contains(address + ":" + port));
        return p;
    }

    /** Sends to the server for {@code seconds} (plus one omitted) and returns what it received, in bits per second. */
    static double send(TestNetns from, String address, int port, int seconds) {
        Exec.Result r = from.exec(Duration.ofSeconds(seconds + 30), "iperf3", "-c", address, "-p", Integer.toString(port), "-t",
                Integer.toString(seconds), "-O", "1", "-J");
        try {
            JsonNode report = JSON.readTree(r.stdout());
            if (!r.ok() || report.has("error")) {
                throw new AssertionError("iperf3 to " + address + " failed: " + r.stdout() + r.stderr());
            }
            return report.at("/end/sum_received/bits_per_second").asDouble();
        } catch (java.io.IOException e) {
            throw new AssertionError("iperf3's report is not JSON: " + r.stdout() + r.stderr(), e);
        }
    }
}
