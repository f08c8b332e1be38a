package org.vnetd.daemon;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.daemon.dhcp.LeaseRecordJson;
import org.vnetd.daemon.state.RunDirStatusStore;
import org.vnetd.daemon.sys.Libc;

/**
 * Start work that waits for nothing the main thread does, done on a thread of its own while the main thread
 * sets up netty, netlink and the firewall: the initialisations that cost most of the start's CPU after the JVM's
 * own (FFM downcall stubs, the JSON serializers of status files, the XML binding and parser). Each task has no
 * effect but initialised classes and warm caches. When the main thread needs a class this thread is initialising,
 * the JVM makes it wait for that one initialisation rather than do it twice; when it gets there first, the task
 * finds the work done. A failing task is logged with its cause (the main thread meets the same failure when it
 * gets there) and the next one runs.
 */
final class StartWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(StartWarmUp.class);

    /** One piece of warm-up; {@code name} says what failed when it does. */
    record Task(String name, Runnable work) {
    }

    private StartWarmUp() {
    }

    /** The daemon's tasks, in the order its start needs them. */
    static List<Task> daemonTasks(String defaultXml) {
        return List.of(
                initialise(Libc.class),                // netlink, right after netty's set-up
                initialise(RunDirStatusStore.class),   // status files: the plan's JSON mapper and serializers
                new Task("network XML", () -> NetworkXml.parse(defaultXml)), // definitions: JAXB and the parser
                initialise(LeaseRecordJson.class),
                initialise(RpcCodec.class));           // the RPC server, last
    }

    /** A class literal does not initialise its class; this does. */
    private static Task initialise(Class<?> c) {
        return new Task(c.getName(), () -> {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("no class " + c.getName(), e);
            }
        });
    }

    /** Starts the tasks, in order, on a daemon thread of their own; returns that thread. */
    static Thread begin(List<Task> tasks) {
        return Thread.ofPlatform().daemon().name("start-warm-up").start(() -> {
            for (Task t : tasks) {
                try {
                    t.work().run();
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("start warm-up of {} failed: {}", t.name(), e.toString(), e);
                }
            }
        });
    }
}
