package org.vnetd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class StartWarmUpTest {
    @Test
    void runsTheTasksInOrderOffTheCallersThreadAndLogsAFailureWithoutStopping() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(StartWarmUp.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try {
            List<String> ran = new CopyOnWriteArrayList<>();
            Thread caller = Thread.currentThread();
            Thread t = StartWarmUp.begin(List.of(
                    new StartWarmUp.Task("first", () -> ran.add(Thread.currentThread() == caller ? "caller" : "first")),
                    new StartWarmUp.Task("broken", () -> {
                        throw new IllegalStateException("no such thing");
                    }),
                    new StartWarmUp.Task("third", () -> ran.add("third"))));
            assertNotEquals(caller, t);
            assertTrue(t.isDaemon(), "the warm-up must never keep the JVM from exiting");
            t.join(30_000);
            assertEquals(List.of("first", "third"), ran);
            assertEquals(1, seen.list.size(), seen.list.toString());
            assertTrue(seen.list.getFirst().getFormattedMessage().contains("broken"), seen.list.getFirst().getFormattedMessage());
            assertTrue(seen.list.getFirst().getFormattedMessage().contains("no such thing"));
        } finally {
            log.detachAppender(seen);
        }
    }

    @Test
    void theDaemonsTasksAllRun() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(StartWarmUp.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try {
            StartWarmUp.begin(StartWarmUp.daemonTasks(Daemon.readDefaultXml())).join(60_000);
            assertEquals(List.of(), seen.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        } finally {
            log.detachAppender(seen);
        }
    }
}
