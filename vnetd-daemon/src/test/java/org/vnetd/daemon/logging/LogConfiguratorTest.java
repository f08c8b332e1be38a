package org.vnetd.daemon.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;

class LogConfiguratorTest {
    @Test
    void logbackFindsItAsAService() {
        assertEquals(java.util.List.of(LogConfigurator.class),
                ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type).toList());
    }

    @Test
    void stderrWithLevelLoggerAndMessageNettyAtWarn() {
        LoggerContext context = new LoggerContext();
        LogConfigurator c = new LogConfigurator();
        c.setContext(context);
        assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, c.configure(context, null));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<?> stderr = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDERR"));
        assertEquals("System.err", stderr.getTarget());
        assertEquals("%-5level %logger{0}: %msg%n", assertInstanceOf(PatternLayoutEncoder.class, stderr.getEncoder()).getPattern());
        assertEquals(Level.WARN, context.getLogger("io.netty").getLevel());
        assertEquals(Level.ERROR, context.getLogger("io.netty.util.internal.MacAddressUtil").getLevel());
        assertEquals(Level.INFO, context.getLogger("org.vnetd").getEffectiveLevel());
    }

    @Test
    void aConfigurationFileNamedOnTheCommandLineWins() {
        LoggerContext context = new LoggerContext();
        LogConfigurator c = new LogConfigurator();
        c.setContext(context);
        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, c.configure(context, "/etc/vnetd/logback.xml"));
        assertFalse(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext());
    }
}
