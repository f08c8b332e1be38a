package org.vnetd.daemon.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The daemon's logging set-up, in code: level, logger and message on stderr (journald adds the time), netty at
 * WARN. Logback finds it through {@code META-INF/services} before it looks for a {@code logback.xml}, so the
 * daemon's start does not parse XML for it (that parse was a tenth of the start's CPU time). A configuration file
 * named by {@code -Dlogback.configurationFile} (through {@code VNETD_JAVA_OPTS}) still wins: then this steps aside.
 * {@code config/logback.xml} is the same configuration as a file, to start from.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%-5level %logger{0}: %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        return configure(context, System.getProperty("logback.configurationFile"));
    }

    ExecutionStatus configure(LoggerContext context, String configurationFile) {
        if (configurationFile != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        // netty derives channel ids from a MAC; in a namespace with only loopback it says so at WARN: not our concern
        context.getLogger("io.netty.util.internal.MacAddressUtil").setLevel(Level.ERROR);
        context.getLogger("io.netty").setLevel(Level.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv("VNETD_LOG_LEVEL"), Level.INFO));
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
