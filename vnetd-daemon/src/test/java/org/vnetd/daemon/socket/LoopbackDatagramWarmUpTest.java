package org.vnetd.daemon.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

import org.junit.jupiter.api.Test;

class LoopbackDatagramWarmUpTest {
    @Test
    void everyLoopSendsAndReceivesOneDatagramEachWay() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(3, EpollIoHandler.newFactory());
        try {
            assertEquals(6, LoopbackDatagramWarmUp.run(group, 10_024));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
