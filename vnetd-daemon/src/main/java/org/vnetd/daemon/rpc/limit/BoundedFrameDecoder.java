package org.vnetd.daemon.rpc.limit;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Splits length-prefixed frames ({@link FrameFormat}) and bounds what a client makes the daemon hold meanwhile:
 * a frame announcing more than the limit is refused before any of it is buffered; the buffer holding an
 * incomplete frame is charged to the listener's {@link BufferBudget} (the connection that would overdraw it is
 * closed); and a frame must be complete within the frame timeout of its first byte, so a client dripping bytes
 * holds nothing for long. A frame that arrives whole in one read is never charged nor timed. One instance per
 * connection; everything runs on its event loop.
 *
 * <p>An incomplete frame is gathered in one buffer of exactly its size, taken from the budget before it is
 * allocated. netty's default cumulation doubles its buffer as bytes arrive: a 4 MiB frame passed through
 * seven buffers and ended in one of 8 MiB, and hundreds of connections each allocated theirs before any could
 * be refused.
 *
 * <p>While the protocol has stopped reading (auto-read off: as many requests running as it allows), frames
 * already received stay here undecoded instead of being passed on, so a client that sends many small requests
 * at once still has no more running than allowed; {@link #resumer()} passes them on when reading resumes.
 */
final class BoundedFrameDecoder extends ByteToMessageDecoder {
    private final ListenerGuard guard;
    private final ListenerLimits limits;
    private final FrameFormat format;

    private long charged;
    private boolean overBudget;
    private boolean frameCompleted;
    private boolean refused;
    private ScheduledFuture<?> deadline;
    private boolean decoding;
    private boolean heldBack;
    private ChannelHandlerContext context;

    BoundedFrameDecoder(ListenerGuard guard, ListenerLimits limits, FrameFormat format) {
        this.guard = guard;
        this.limits = limits;
        this.format = format;
        setCumulator(this::cumulate);
    }

    private ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        if (!cumulation.isReadable() && in.isContiguous()) {
            // nothing pending: the read buffer itself holds what arrived (as netty's own cumulator does)
            cumulation.release();
            return in;
        }
        try {
            if (cumulation.refCnt() == 1 && !cumulation.isReadOnly() && cumulation.writableBytes() >= in.readableBytes()) {
                return cumulation.writeBytes(in);
            }
            int size = Math.max(cumulation.readableBytes() + in.readableBytes(), firstFrameBytes(cumulation, in));
            if (!recharge(size)) {
                overBudget = true;
                cumulation.release();
                return Unpooled.EMPTY_BUFFER;
            }
            ByteBuf merged = alloc.buffer(size);
            merged.writeBytes(cumulation).writeBytes(in);
            cumulation.release();
            return merged;
        } finally {
            in.release();
        }
    }

    /** Header and payload of the frame that starts {@code a} then {@code b}, if its length is known and allowed; else 0. */
    private int firstFrameBytes(ByteBuf a, ByteBuf b) {
        if (a.readableBytes() + b.readableBytes() < FrameFormat.HEADER_BYTES) {
            return 0;
        }
        long announced = 0;
        for (int i = 0; i < FrameFormat.HEADER_BYTES; i++) {
            int octet = i < a.readableBytes() ? a.getUnsignedByte(a.readerIndex() + i)
                    : b.getUnsignedByte(b.readerIndex() + i - a.readableBytes());
            announced = announced << 8 | octet;
        }
        long payload = format.payloadLength(announced);
        return payload < 0 || payload > limits.maxFrameBytes() ? 0 : FrameFormat.HEADER_BYTES + (int) payload;
    }

    /** Makes the charge {@code bytes}: takes what more it needs from the budget (false if it cannot), or gives back. */
    private boolean recharge(long bytes) {
        if (bytes > charged && !guard.budget().tryTake(bytes - charged)) {
            return false;
        }
        if (bytes < charged) {
            guard.budget().giveBack(charged - bytes);
        }
        charged = bytes;
        return true;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        context = ctx;
        super.handlerAdded(ctx);
    }

    /** Passes on frames held back while reading was off, when the protocol asks to read again. */
    ChannelOutboundHandlerAdapter resumer() {
        return new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) throws Exception {
                if (!decoding && !refused && context != null && internalBuffer().isReadable()) {
                    channelRead(context, Unpooled.EMPTY_BUFFER);
                }
                ctx.read();
            }
        };
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            heldBack = true;
            return;
        }
        heldBack = false;
        if (in.readableBytes() < FrameFormat.HEADER_BYTES) {
            return;
        }
        long announced = in.getUnsignedInt(in.readerIndex());
        long payload = format.payloadLength(announced);
        if (payload < 0 || payload > limits.maxFrameBytes()) {
            in.skipBytes(in.readableBytes());
            refuse(ctx, new LimitRefusal(LimitRefusal.Reason.FRAME_TOO_LARGE, payload < 0
                    ? "bad frame: a length of " + announced + " is shorter than the length word itself"
                    : "frame too large: the limit is " + limits.maxFrameBytes() + " bytes"));
            return;
        }
        int whole = FrameFormat.HEADER_BYTES + (int) payload;
        if (in.readableBytes() < whole) {
            return;
        }
        frameCompleted = true;
        if (format.stripHeader()) {
            in.skipBytes(FrameFormat.HEADER_BYTES);
            out.add(in.readRetainedSlice((int) payload));
        } else {
            out.add(in.readRetainedSlice(whole));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        decoding = true;
        try {
            super.channelRead(ctx, msg);
        } finally {
            decoding = false;
        }
        if (!refused) {
            account(ctx);
        }
    }

    /** Charges the buffer of what is left over (an incomplete frame) to the budget, and times that frame. */
    private void account(ChannelHandlerContext ctx) {
        ByteBuf pending = internalBuffer();
        if (overBudget || !recharge(pending.isReadable() ? pending.capacity() : 0)) {
            refuse(ctx, new LimitRefusal(LimitRefusal.Reason.BUFFER_BUDGET,
                    "too many incomplete requests are buffered on this socket; try again"));
            return;
        }
        if (charged == 0 || frameCompleted) {
            cancelDeadline();
        }
        frameCompleted = false;
        if (charged > 0 && deadline == null) {
            armDeadline(ctx);
        }
    }

    private void armDeadline(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> frameLate(ctx), limits.frameTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void frameLate(ChannelHandlerContext ctx) {
        deadline = null;
        if (refused || !internalBuffer().isReadable()) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            // the rest waits because we stopped reading (back-pressure), not because the client is slow
            armDeadline(ctx);
            return;
        }
        refuse(ctx, new LimitRefusal(LimitRefusal.Reason.SLOW_FRAME,
                "a request must arrive within " + limits.frameTimeout().toSeconds() + " s of its first byte"));
    }

    private void refuse(ChannelHandlerContext ctx, LimitRefusal refusal) {
        refused = true;
        release();
        guard.refuse(ctx, refusal);
    }

    private void release() {
        cancelDeadline();
        if (charged > 0) {
            guard.budget().giveBack(charged);
            charged = 0;
        }
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (heldBack) {
            // ByteToMessageDecoder would read on when a read decoded nothing; these frames wait for the protocol
            ctx.fireChannelReadComplete();
            return;
        }
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        refused = true; // what is left of an incomplete frame is dropped, not decoded
        release();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        release();
    }

    long charged() {
        return charged;
    }
}
