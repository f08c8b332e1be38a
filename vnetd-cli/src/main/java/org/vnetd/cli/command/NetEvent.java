package org.vnetd.cli.command;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import org.vnetd.cli.Session;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;

/**
 * net-event: subscribes to the daemon's lifecycle or metadata-change events and prints them as virsh does;
 * one event unless --loop, bounded by --timeout. Succeeds only if at least one event arrived.
 */
public final class NetEvent implements Command {
    static final CommandDef DEF = new CommandDef("net-event", Networks.GROUP, "Network Events",
            "List event types, or wait for network events to occur", List.of(
            OptionDef.positionalString("network", "filter by network name or uuid"),
            OptionDef.positionalString("event", "which event type to wait for"),
            OptionDef.bool("loop", "loop until timeout or interrupt, rather than one-shot"),
            OptionDef.positionalInt("timeout", "timeout seconds"),
            OptionDef.bool("list", "list valid event types"),
            OptionDef.bool("timestamp", "show timestamp for each printed event")), true);
    /** What --list prints: virsh's event types. */
    static final List<String> EVENTS = List.of("lifecycle", "metadata-change");
    /** vnetd's own, accepted by --event but not listed (virsh's --list output stays identical). */
    static final String SERVICE_HEALTH = "service-health";
    /** libvirt's virTimeStringNowRaw: UTC with a literal +0000. */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'+0000'");

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) throws UsageException {
        if (cmd.flag("list")) {
            EVENTS.forEach(e -> s.print(e + "\n"));
            return true;
        }
        Optional<String> event = cmd.nonEmpty("event");
        if (event.isEmpty()) {
            s.error("either --list or --event <type> is required");
            return false;
        }
        if (!EVENTS.contains(event.get()) && !SERVICE_HEALTH.equals(event.get())) {
            s.error("unknown event type " + event.get());
            return false;
        }
        Duration timeout = null;
        if (cmd.has("timeout")) {
            String raw = cmd.string("timeout").orElseThrow();
            long secs;
            try {
                secs = Long.parseLong(raw.trim());
            } catch (NumberFormatException e) {
                secs = -1;
            }
            if (secs <= 0 || secs > Integer.MAX_VALUE / 1000) {
                throw new UsageException("Numeric value '" + raw + "' for <timeout> option is malformed or out of range");
            }
            timeout = Duration.ofSeconds(secs);
        }
        String filter = null;
        Optional<String> network = cmd.nonEmpty("network");
        if (network.isPresent()) {
            Optional<NetworkSummary> n = Networks.lookup(s, network.get());
            if (n.isEmpty()) {
                return false;
            }
            filter = n.get().uuid();
        }
        s.api().subscribe(filter, event.get());
        boolean loop = cmd.flag("loop");
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        int count = 0;
        boolean timedOut = false;
        // Ctrl-C ends the wait the way virsh reports it; the hook goes away once the loop ends by itself
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        Thread onInterrupt = new Thread(() -> {
            s.print("event loop interrupted\nevents received: " + received.get() + "\n");
            s.flush();
        }, "net-event-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            count = waitForEvents(s, event.get(), filter, loop, timeout, deadline, cmd.flag("timestamp"), received);
            timedOut = count < 0;
            count = received.get();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting (Ctrl-C): the hook prints the summary
            }
        }
        if (timedOut) {
            s.print("event loop timed out\n");
        }
        s.print("events received: " + count + "\n");
        return count > 0;
    }

    /** Prints matching events; returns the count, or -1 when the timeout ended the wait. */
    private static int waitForEvents(Session s, String event, String filter, boolean loop, Duration timeout,
                                     long deadline, boolean timestamp,
                                     java.util.concurrent.atomic.AtomicInteger received) {
        boolean timedOut = false;
        while (true) {
            Duration left = null;
            if (timeout != null) {
                left = Duration.ofNanos(deadline - System.nanoTime());
                if (left.isNegative() || left.isZero()) {
                    timedOut = true;
                    break;
                }
            }
            Optional<NetworkEvent> e = s.api().nextEvent(left);
            if (e.isEmpty()) {
                timedOut = true;
                break;
            }
            if (!event.equals(e.get().event()) || (filter != null && !filter.equals(e.get().uuid()))) {
                continue;
            }
            s.print(format(e.get(), timestamp));
            s.flush();
            received.incrementAndGet();
            if (!loop) {
                break;
            }
        }
        return timedOut ? -1 : received.get();
    }

    static String format(NetworkEvent e, boolean timestamp) {
        String line = "metadata-change".equals(e.event())
                ? "event 'metadata-change' for network " + e.network() + ": type " + e.detail() + ", uri "
                        + (e.uri() == null ? "(null)" : e.uri()) + "\n"
                : "event '" + (SERVICE_HEALTH.equals(e.event()) ? SERVICE_HEALTH : "lifecycle") + "' for network "
                        + e.network() + ": " + e.detail() + "\n";
        if (!timestamp) {
            return line;
        }
        return STAMP.format(Instant.ofEpochMilli(e.timestamp()).atOffset(ZoneOffset.UTC)) + ": " + line;
    }
}
