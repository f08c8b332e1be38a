package org.vnetd.daemon.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** 306 identical warnings in 3.5 s become one line per interval, the next one saying how many were left out. */
class RateLimitedLogTest {
    @Test
    void oneLinePerIntervalWithTheCountOfTheOthers() {
        Logger logger = (Logger) LoggerFactory.getLogger("test.rate-limited." + System.nanoTime());
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        AtomicLong now = new AtomicLong(0);
        RateLimitedLog log = new RateLimitedLog(logger, Level.WARN, 10_000_000_000L, now::get);
        for (int i = 0; i < 306; i++) {
            now.addAndGet(11_500_000L); // 3.5 s in all
            log.log("lease log {}: cannot preallocate {} bytes", "virbr0.wal", 65536);
        }
        now.addAndGet(10_000_000_000L);
        log.log("lease log {}: cannot preallocate {} bytes", "virbr0.wal", 65536);
        List<String> text = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(List.of("lease log virbr0.wal: cannot preallocate 65536 bytes",
                "lease log virbr0.wal: cannot preallocate 65536 bytes (305 more like it in the last 13507 ms)"), text);
        log.reset();
        log.log("again");
        assertEquals("again", lines.list.getLast().getFormattedMessage(), "after a reset the next one is logged at once");
    }
}
