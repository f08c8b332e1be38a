package org.vnetd.daemon.rpc.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

/** Each limit of {@link ListenerGuard}, on embedded channels with a frozen clock. */
class ListenerGuardTest {
    private static final ListenerLimits LIMITS = new ListenerLimits(4, 2, 1000, 2008, 16, 1000,
            Duration.ofSeconds(10), Duration.ofSeconds(60));

    private final List<String> log = new ArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private PeerId nextPeer = new PeerId("uid 1000", true);
    /** Runs the refusal summaries (an embedded channel's close cancels what is scheduled on its loop). */
    private final EmbeddedChannel timer = new EmbeddedChannel();

    /** What the protocol behind the guard sees. */
    static final class Protocol extends ChannelInboundHandlerAdapter {
        final List<String> frames = new ArrayList<>();
        final List<LimitRefusal> refusals = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            frames.add(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof LimitRefusal r) {
                refusals.add(r);
            }
        }
    }

    private ListenerGuard guard(ListenerLimits limits, FrameFormat format) {
        timer.freezeTime();
        return new ListenerGuard("test.sock", limits, format, ch -> nextPeer, log::add, timer.eventLoop());
    }

    private Protocol connect(ListenerGuard guard, EmbeddedChannel[] out) throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        guard.addHandlers(ch.pipeline());
        Protocol p = new Protocol();
        ch.pipeline().addLast(p);
        ch.register();
        ch.freezeTime();
        channels.add(ch);
        out[0] = ch;
        return p;
    }

    @AfterEach
    void closeAll() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        timer.finishAndReleaseAll();
    }

    private static ByteBuf bytes(int n) {
        return Unpooled.wrappedBuffer(new byte[n]);
    }

    private static ByteBuf header(long length) {
        return Unpooled.buffer(4).writeInt((int) length);
    }

    private static ByteBuf frame(String payload) {
        byte[] p = payload.getBytes(StandardCharsets.ISO_8859_1);
        return Unpooled.buffer(4 + p.length).writeInt(p.length).writeBytes(p);
    }

    @Test
    void aPeerOverItsCapIsRefusedAndItsSlotComesBackOnClose() throws Exception {
        ListenerGuard g = guard(LIMITS, FrameFormat.JSON_RPC);
        EmbeddedChannel[] c1 = new EmbeddedChannel[1];
        EmbeddedChannel[] c2 = new EmbeddedChannel[1];
        EmbeddedChannel[] c3 = new EmbeddedChannel[1];
        connect(g, c1);
        connect(g, c2);
        Protocol third = connect(g, c3);
        assertTrue(c1[0].isOpen() && c2[0].isOpen());
        assertFalse(c3[0].isOpen(), "a third connection of uid 1000 is refused");
        assertEquals(LimitRefusal.Reason.TOO_MANY_PEER_CONNECTIONS, third.refusals.getFirst().reason());
        assertEquals("too many connections of uid 1000: at most 2 at once on this socket", third.refusals.getFirst().message());
        assertEquals(2, g.openConnections());

        nextPeer = new PeerId("uid 1001", true);
        EmbeddedChannel[] other = new EmbeddedChannel[1];
        connect(g, other);
        assertTrue(other[0].isOpen(), "another uid has slots of its own");

        c1[0].close();
        nextPeer = new PeerId("uid 1000", true);
        EmbeddedChannel[] again = new EmbeddedChannel[1];
        connect(g, again);
        assertTrue(again[0].isOpen(), "a closed connection gives its slot back");
    }

    @Test
    void rootIsCappedOnlyByTheTotal() throws Exception {
        ListenerGuard g = guard(LIMITS, FrameFormat.JSON_RPC);
        nextPeer = new PeerId("uid 0", false);
        EmbeddedChannel[] c = new EmbeddedChannel[1];
        for (int i = 0; i < 4; i++) {
            connect(g, c);
            assertTrue(c[0].isOpen(), "root connection " + i);
        }
        Protocol fifth = connect(g, c);
        assertFalse(c[0].isOpen());
        assertEquals(LimitRefusal.Reason.TOO_MANY_CONNECTIONS, fifth.refusals.getFirst().reason());
    }

    @Test
    void framesAreSplitAndAnIncompleteOneIsChargedItsSize() throws Exception {
        ListenerGuard g = guard(LIMITS, FrameFormat.JSON_RPC);
        EmbeddedChannel[] c = new EmbeddedChannel[1];
        Protocol p = connect(g, c);
        ByteBuf two = Unpooled.wrappedBuffer(frame("one"), frame("two"), header(500), bytes(10));
        c[0].writeInbound(two);
        assertEquals(List.of("one", "two"), p.frames);
        assertTrue(g.bufferedBytes() > 0 && g.bufferedBytes() <= 504, "charged " + g.bufferedBytes());
        c[0].writeInbound(bytes(100));
        assertEquals(504, g.bufferedBytes(), "gathered in one buffer of the frame's size");
        c[0].writeInbound(bytes(390));
        assertEquals(3, p.frames.size());
        assertEquals(500, p.frames.get(2).length());
        assertEquals(0, g.bufferedBytes());
        assertTrue(c[0].isOpen());
    }

    @Test
    void framesReceivedWhileTheProtocolStoppedReadingWaitForIt() throws Exception {
        ListenerGuard g = guard(LIMITS, FrameFormat.JSON_RPC);
        EmbeddedChannel[] c = new EmbeddedChannel[1];
        Protocol p = connect(g, c);
        c[0].pipeline().addBefore(c[0].pipeline().context(p).name(), "two-at-a-time", new ChannelInboundHandlerAdapter() {
            int seen;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (++seen % 2 == 0) {
                    ctx.channel().config().setAutoRead(false); // as a protocol with two requests running
                }
                ctx.fireChannelRead(msg);
            }
        });
        c[0].writeInbound(Unpooled.wrappedBuffer(frame("1"), frame("2"), frame("3"), frame("4"), frame("5")));
        assertEquals(List.of("1", "2"), p.frames, "the rest wait while reading is off");
        c[0].config().setAutoRead(true);
        assertEquals(List.of("1", "2", "3", "4"), p.frames);
        c[0].config().setAutoRead(true);
        assertEquals(List.of("1", "2", "3", "4", "5"), p.frames);
        assertTrue(c[0].isOpen());
    }

    @Test
    void aFrameOverTheLimitIsRefusedBeforeAnyOfItIsBuffered() throws Exception {
        ListenerGuard g = guard(LIMITS, FrameFormat.JSON_RPC);
        EmbeddedChannel[] c = new EmbeddedChannel[1];
        Protocol p = connect(g, c);
        c[0].writeInbound(Unpooled.wrappedBuffer(header(1001), bytes(100)));
        assertFalse(c[0].isOpen());
        assertEquals(LimitRefusal.Reason.FRAME_TOO_LARGE, p.refusals.getFirst().reason());
        assertEquals("frame too large: the limit is 1000 bytes", p.refusals.getFirst().message());
        assertEquals(0, g.bufferedBytes());
        assertTrue(p.frames.isEmpty());
    }

    @Test
    void libvirtFramesCountTheirLengthWord() throws Exception {
        ListenerGuard g = guard(LIMITS, FrameFormat.LIBVIRT_REMOTE);
        EmbeddedChannel[] c = new EmbeddedChannel[1];
        Protocol p = connect(g, c);
        c[0].writeInbound(Unpooled.wrappedBuffer(header(7), Unpooled.copiedBuffer("abc", StandardCharsets.ISO_8859_1)));
        assertEquals(List.of("abc"), p.frames);
        c[0].writeInbound(Unpooled.wrappedBuffer(header(1004), bytes(1000)));
        assertEquals(1000, p.frames.get(1).length(), "the limit counts what follows the length word");
        ListenerGuard keeping = guard(LIMITS, new FrameFormat(true, false));
        EmbeddedChannel[] k = new EmbeddedChannel[1];
        Protocol kp = connect(keeping, k);
        k[0].writeInbound(Unpooled.wrappedBuffer(header(7), Unpooled.copiedBuffer("abc", StandardCharsets.ISO_8859_1)));
        assertEquals(List.of("\0\0\0\7abc"), kp.frames, "or passes frames on with their length word");
        c[0].writeInbound(header(3));
        assertFalse(c[0].isOpen(), "a length shorter than the length word");
        assertEquals(LimitRefusal.Reason.FRAME_TOO_LARGE, p.refusals.getFirst().reason());
    }

    @Test
    void theConnectionThatWouldOverdrawTheBudgetIsClosed() throws Exception {
        ListenerGuard g = guard(LIMITS, FrameFormat.JSON_RPC);
        EmbeddedChannel[] a = new EmbeddedChannel[1];
        EmbeddedChannel[] b = new EmbeddedChannel[1];
        EmbeddedChannel[] c = new EmbeddedChannel[1];
        nextPeer = new PeerId("uid 0", false);
        for (EmbeddedChannel[] ch : List.of(a, b)) {
            connect(g, ch);
            ch[0].writeInbound(Unpooled.copiedBuffer(header(1000), bytes(10)));
            ch[0].writeInbound(bytes(10));
        }
        assertEquals(2008, g.bufferedBytes(), "two incomplete 1000-byte frames fill the budget");
        Protocol third = connect(g, c);
        c[0].writeInbound(Unpooled.copiedBuffer(header(100), bytes(10)));
        assertFalse(c[0].isOpen());
        assertEquals(LimitRefusal.Reason.BUFFER_BUDGET, third.refusals.getFirst().reason());
        assertEquals(2008, g.bufferedBytes());
        assertTrue(a[0].isOpen() && b[0].isOpen());

        a[0].close();
        assertEquals(1004, g.bufferedBytes(), "a closed connection gives its bytes back");
        EmbeddedChannel[] d = new EmbeddedChannel[1];
        Protocol fourth = connect(g, d);
        d[0].writeInbound(frame("whole"));
        assertEquals(List.of("whole"), fourth.frames, "a frame that arrives whole needs no budget");
    }

    @Test
    void aFrameNotCompleteWithinTheTimeoutClosesTheConnection() throws Exception {
        ListenerGuard g = guard(LIMITS, FrameFormat.JSON_RPC);
        EmbeddedChannel[] fast = new EmbeddedChannel[1];
        EmbeddedChannel[] slow = new EmbeddedChannel[1];
        Protocol f = connect(g, fast);
        Protocol s = connect(g, slow);
        fast[0].writeInbound(Unpooled.copiedBuffer(header(3), bytes(1)));
        slow[0].writeInbound(Unpooled.copiedBuffer(header(3), bytes(1)));
        fast[0].advanceTimeBy(9, TimeUnit.SECONDS);
        slow[0].advanceTimeBy(9, TimeUnit.SECONDS);
        fast[0].writeInbound(bytes(2));
        slow[0].writeInbound(bytes(1)); // a drip does not reset the deadline
        fast[0].advanceTimeBy(2, TimeUnit.SECONDS);
        slow[0].advanceTimeBy(2, TimeUnit.SECONDS);
        fast[0].runScheduledPendingTasks();
        slow[0].runScheduledPendingTasks();
        assertTrue(fast[0].isOpen());
        assertEquals(1, f.frames.size());
        assertFalse(slow[0].isOpen());
        assertEquals(LimitRefusal.Reason.SLOW_FRAME, s.refusals.getFirst().reason());
        assertEquals(0, g.bufferedBytes());
    }

    @Test
    void aFrameHeldBackByBackPressureIsNotTimedOut() throws Exception {
        ListenerGuard g = guard(LIMITS, FrameFormat.JSON_RPC);
        EmbeddedChannel[] c = new EmbeddedChannel[1];
        connect(g, c);
        c[0].writeInbound(Unpooled.copiedBuffer(header(3), bytes(1)));
        c[0].config().setAutoRead(false);
        c[0].advanceTimeBy(30, TimeUnit.SECONDS);
        c[0].runScheduledPendingTasks();
        assertTrue(c[0].isOpen(), "we stopped reading it: the client is not slow");
        c[0].config().setAutoRead(true);
        c[0].advanceTimeBy(11, TimeUnit.SECONDS);
        c[0].runScheduledPendingTasks();
        assertFalse(c[0].isOpen());
    }

    @Test
    void anIdleConnectionIsClosedUnlessHeldOpen() throws Exception {
        ListenerGuard g = guard(LIMITS, FrameFormat.JSON_RPC);
        EmbeddedChannel[] idle = new EmbeddedChannel[1];
        EmbeddedChannel[] subscriber = new EmbeddedChannel[1];
        Protocol p = connect(g, idle);
        connect(g, subscriber);
        ListenerGuard.holdOpen(subscriber[0]);
        for (EmbeddedChannel ch : List.of(idle[0], subscriber[0])) {
            ch.advanceTimeBy(30, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
        }
        idle[0].writeInbound(frame("ping"));
        for (EmbeddedChannel ch : List.of(idle[0], subscriber[0])) {
            ch.advanceTimeBy(45, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
        }
        assertTrue(idle[0].isOpen(), "a request 45 s ago: not idle for 60 s");
        for (EmbeddedChannel ch : List.of(idle[0], subscriber[0])) {
            ch.advanceTimeBy(20, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
        }
        assertFalse(idle[0].isOpen());
        assertEquals(LimitRefusal.Reason.IDLE, p.refusals.getFirst().reason());
        assertTrue(subscriber[0].isOpen(), "held open (an event subscription)");
        ListenerGuard.releaseHold(subscriber[0]);
        subscriber[0].advanceTimeBy(61, TimeUnit.SECONDS);
        subscriber[0].runScheduledPendingTasks();
        assertFalse(subscriber[0].isOpen());
    }

    @Test
    void aClientLeavingRepliesUnreadIsClosedButOneLargeReplyPasses() throws Exception {
        ListenerGuard g = guard(LIMITS, FrameFormat.JSON_RPC);
        EmbeddedChannel[] c = new EmbeddedChannel[1];
        Protocol p = connect(g, c);
        c[0].write(bytes(1500)); // not flushed: left unread
        assertTrue(c[0].isOpen(), "one reply larger than the cap is written");
        c[0].write(bytes(10));
        assertFalse(c[0].isOpen());
        assertTrue(p.refusals.isEmpty(), "a client that does not read is not told");
        assertEquals("test.sock: closing a connection of uid 1000: more than 1000 bytes of replies left unread"
                + " (further refusals are summed up every 10 s)", log.getFirst());
    }

    @Test
    void refusalsAreLoggedOncePerInterval() throws Exception {
        ListenerGuard g = guard(new ListenerLimits(1, 1, 1000, 2008, 16, 1000, Duration.ofSeconds(10), Duration.ZERO),
                FrameFormat.JSON_RPC);
        EmbeddedChannel[] first = new EmbeddedChannel[1];
        connect(g, first);
        EmbeddedChannel[] c = new EmbeddedChannel[1];
        for (int i = 0; i < 100; i++) {
            connect(g, c);
        }
        assertEquals(1, log.size(), "the first refusal at once, the others counted: " + log);
        timer.advanceTimeBy(10, TimeUnit.SECONDS);
        timer.runScheduledPendingTasks();
        assertEquals(List.of("test.sock: closing a connection of uid 1000: too many connections: this socket serves at most 1"
                + " at once (further refusals are summed up every 10 s)",
                "test.sock: closed 99 more connections in the last 10 s: 99 connections over the listener's cap;"
                        + " from uid 1000 (99)"), log);
        timer.advanceTimeBy(10, TimeUnit.SECONDS);
        timer.runScheduledPendingTasks();
        assertEquals(2, log.size(), "a quiet interval logs nothing");
        connect(g, c);
        assertEquals(3, log.size(), "after a quiet interval the next refusal is logged at once");
        assertEquals(101, g.refusals());
    }
}
