package org.vnetd.daemon.libvirt;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.libvirt.proc.ConnectProcedures;
import org.vnetd.daemon.libvirt.proc.Procedure;
import org.vnetd.daemon.libvirt.proc.ProcedureTable;
import org.vnetd.daemon.libvirt.proc.Session;
import org.vnetd.daemon.libvirt.wire.LibvirtErrors;
import org.vnetd.daemon.libvirt.wire.LibvirtFault;
import org.vnetd.daemon.libvirt.wire.LibvirtMessage;
import org.vnetd.daemon.libvirt.wire.MessageCodec;
import org.vnetd.daemon.libvirt.wire.MessageHeader;
import org.vnetd.daemon.libvirt.wire.RemoteError;
import org.vnetd.daemon.libvirt.xdr.XdrException;
import org.vnetd.daemon.libvirt.xdr.XdrReader;
import org.vnetd.daemon.libvirt.xdr.XdrWriter;
import org.vnetd.daemon.rpc.Peer;
import org.vnetd.daemon.rpc.limit.LimitRefusal;
import org.vnetd.daemon.rpc.limit.InFlightRequests;
import org.vnetd.daemon.rpc.limit.ListenerGuard;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;

/**
 * One libvirt client connection: answers keepalive pings at once on the event loop, checks each call
 * against the procedure table and the connection's state, runs set-up procedures in place and network
 * procedures on a worker, and writes replies (or libvirt error replies) by serial. At most
 * {@code maxInFlight} calls of one connection run at once; beyond that, and while the client does not
 * read its replies, the connection is not read.
 */
final class LibvirtConnectionHandler extends SimpleChannelInboundHandler<LibvirtMessage> {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtConnectionHandler.class);
    private static final Consumer<XdrWriter> EMPTY = w -> {
    };

    private final boolean readOnlySocket;
    private final ProcedureTable procedures;
    private final ExecutorService workers;
    private final InFlightRequests inFlight;
    private final Consumer<Session> closed;

    // touched only on this channel's event loop
    private Session session;
    private boolean refused;
    /** Whether this connection holds itself open against the idle timeout for its event callbacks. */
    private boolean heldForEvents;

    LibvirtConnectionHandler(boolean readOnlySocket, ProcedureTable procedures, ExecutorService workers, int maxInFlight,
            Consumer<Session> closed) {
        this.readOnlySocket = readOnlySocket;
        this.procedures = procedures;
        this.workers = workers;
        this.inFlight = new InFlightRequests(maxInFlight);
        this.closed = closed;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        Peer peer = Peer.of(ctx.channel());
        Channel ch = ctx.channel();
        session = new Session(readOnlySocket, peer, (procedure, body) -> push(ch, procedure, body));
        if (!readOnlySocket && peer.uid() != 0) {
            // the socket is 0600 root's; a peer that got through anyway (a changed mode, a passed descriptor) is refused
            LOG.warn("refusing a libvirt connection from {} on the read-write socket: only root may use it", peer);
            refused = true;
        }
        LOG.debug("libvirt connection from {} on the {} socket", peer, readOnlySocket ? "read-only" : "read-write");
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, LibvirtMessage m) {
        MessageHeader h = m.header();
        if (h.program() == MessageHeader.KEEPALIVE_PROGRAM) {
            keepalive(ctx, h);
            return;
        }
        boolean call = h.type() == MessageHeader.CALL || h.type() == MessageHeader.CALL_WITH_FDS;
        if (!call) {
            // nothing a client sends but calls needs an answer; libvirt drops stray stream data the same way
            LOG.debug("ignoring a libvirt message that is not a call from {}: {}", session, h);
            return;
        }
        if (h.program() != MessageHeader.REMOTE_PROGRAM || h.version() != MessageHeader.REMOTE_VERSION) {
            fail(ctx, h, LibvirtErrors.rpc("Cannot find program " + h.program() + " version " + h.version()));
            return;
        }
        if (refused) {
            // one clear answer (the client prints it), then the connection ends
            ctx.writeAndFlush(MessageCodec.encode(ctx.alloc(), h.errorReply(), new RemoteError(LibvirtErrors.ACCESS_DENIED,
                    LibvirtErrors.FROM_RPC, "access denied: only root may use libvirt's read-write socket; the read-only "
                    + "socket is " + LibvirtServer.READ_ONLY_SOCKET)::write)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (h.status() != MessageHeader.OK) {
            fail(ctx, h, LibvirtErrors.rpc("Unexpected message status " + Integer.toUnsignedString(h.status())));
            return;
        }
        Procedure<?, ?> p = procedures.lookup(h.procedure()).orElse(null);
        if (p == null) {
            fail(ctx, h, LibvirtErrors.rpc("unknown procedure: " + h.procedure()));
            return;
        }
        Procedure.Call work;
        try {
            checkAccess(p);
            work = p.read(new XdrReader(Unpooled.wrappedBuffer(m.payload())));
        } catch (LibvirtFault | XdrException e) {
            LOG.debug("libvirt call {} of {} refused: {}", p.api(), session, e.getMessage());
            fail(ctx, h, LibvirtErrors.from(e));
            return;
        }
        if (p.access() == Procedure.Access.WRITE) {
            // every change is attributed to whoever asked for it
            LOG.info("libvirt {} requested by {}", p.api(), session);
        }
        if (p.runsOn() == Procedure.RunsOn.EVENT_LOOP) {
            finish(ctx, h, p, run(work, p), false);
            holdForEvents(ctx.channel());
            return;
        }
        inFlight.started(ctx.channel());
        Session s = session;
        try {
            workers.execute(() -> {
                Outcome o = run(work, p, s);
                ctx.executor().execute(() -> finish(ctx, h, p, o, true));
            });
        } catch (RejectedExecutionException e) {
            finish(ctx, h, p, new Outcome(null, LibvirtErrors.of(new VnetException(ErrorCode.INTERNAL,
                    "the daemon is shutting down"))), true);
        }
    }

    /** A client with event callbacks waits for events, not idle: it is held open while it has any. */
    private void holdForEvents(Channel ch) {
        boolean want = session.hasCallbacks();
        if (want && !heldForEvents) {
            ListenerGuard.holdOpen(ch);
        } else if (!want && heldForEvents) {
            ListenerGuard.releaseHold(ch);
        }
        heldForEvents = want;
    }

    private void checkAccess(Procedure<?, ?> p) {
        if (p.access() == Procedure.Access.SETUP) {
            return;
        }
        if (!session.isOpen()) {
            throw ConnectProcedures.notOpen();
        }
        if (p.access() == Procedure.Access.WRITE && session.isReadOnly()) {
            throw new LibvirtFault(LibvirtErrors.OPERATION_DENIED, LibvirtErrors.FROM_NETWORK,
                    "operation forbidden: read only access prevents " + p.api());
        }
    }

    /** A procedure's result writer, or the error to send instead. */
    private record Outcome(Consumer<XdrWriter> result, RemoteError error) {
    }

    private Outcome run(Procedure.Call work, Procedure<?, ?> p) {
        return run(work, p, session);
    }

    private static Outcome run(Procedure.Call work, Procedure<?, ?> p, Session s) {
        try {
            return new Outcome(work.run(s), null);
        } catch (Throwable t) {
            logFailure(p, s, t);
            return new Outcome(null, LibvirtErrors.from(t));
        }
    }

    private void finish(ChannelHandlerContext ctx, MessageHeader h, Procedure<?, ?> p, Outcome o, boolean counted) {
        if (counted) {
            inFlight.finished(ctx.channel());
        }
        if (o.error() != null) {
            fail(ctx, h, o.error());
        } else {
            ByteBuf frame;
            try {
                frame = MessageCodec.encode(ctx.alloc(), h.reply(), o.result());
            } catch (XdrException e) {
                LOG.warn("cannot encode the reply to libvirt {}: {}", p.api(), e.getMessage());
                fail(ctx, h, LibvirtErrors.rpc("Unable to encode message payload: " + e.getMessage()));
                resumeIfPossible(ctx.channel());
                return;
            }
            if (ctx.channel().isActive()) {
                var written = ctx.writeAndFlush(frame);
                if (p.number() == ConnectProcedures.CONNECT_CLOSE) {
                    // libvirt's daemon closes the connection once the reply to CONNECT_CLOSE is out
                    written.addListener(ChannelFutureListener.CLOSE);
                }
            } else {
                frame.release();
            }
        }
        resumeIfPossible(ctx.channel());
    }

    private static void fail(ChannelHandlerContext ctx, MessageHeader h, RemoteError e) {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(MessageCodec.encode(ctx.alloc(), h.errorReply(), e::write));
        }
    }

    /** PING gets PONG at once, here on the event loop, whatever calls of this connection are still running. */
    private void keepalive(ChannelHandlerContext ctx, MessageHeader h) {
        if (h.version() == MessageHeader.KEEPALIVE_VERSION && h.type() == MessageHeader.MESSAGE
                && h.procedure() == MessageHeader.KEEPALIVE_PING) {
            ctx.writeAndFlush(MessageCodec.encode(ctx.alloc(), MessageHeader.message(MessageHeader.KEEPALIVE_PROGRAM,
                    MessageHeader.KEEPALIVE_VERSION, MessageHeader.KEEPALIVE_PONG), EMPTY));
        } else if (h.procedure() != MessageHeader.KEEPALIVE_PONG) {
            LOG.debug("ignoring a keepalive message from {}: {}", session, h);
        }
    }

    /** An event: sent as libvirt sends them (type MESSAGE, serial 1); a client that does not read them is dropped. */
    private static void push(Channel ch, int procedure, Consumer<XdrWriter> body) {
        if (!ch.isActive()) {
            return;
        }
        if (!ch.isWritable()) {
            LOG.warn("closing a libvirt connection that does not read its events");
            ch.close();
            return;
        }
        MessageHeader h = new MessageHeader(MessageHeader.REMOTE_PROGRAM, MessageHeader.REMOTE_VERSION, procedure,
                MessageHeader.MESSAGE, 1, MessageHeader.OK);
        ch.writeAndFlush(MessageCodec.encode(ch.alloc(), h, body));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            closed.accept(session);
        }
        super.channelInactive(ctx);
    }

    private void resumeIfPossible(Channel ch) {
        inFlight.resumeIfPossible(ch);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        inFlight.writabilityChanged(ctx.channel());
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof LimitRefusal refusal) {
            // the guard closes the connection and logs why; a frame refused before it was read has no serial
            // a libvirt client could match an error reply to
            LOG.debug("libvirt connection of {} refused: {}", session, refusal.message());
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            // a frame we cannot even read the header of has no serial to answer: the stream is lost (debug: any
            // user can send such frames on the read-only socket, as often as they like)
            LOG.debug("closing the libvirt connection of {}: {}", session, cause.getMessage());
        } else if (cause instanceof IOException) {
            LOG.debug("libvirt connection of {} failed: {}", session, cause.toString());
        } else {
            LOG.warn("closing the libvirt connection of {} after an unexpected error", session, cause);
        }
        ctx.close();
    }

    private static void logFailure(Procedure<?, ?> p, Session s, Throwable t) {
        if (t instanceof VnetException v && v.code() != ErrorCode.INTERNAL || t instanceof LibvirtFault || t instanceof XdrException) {
            if (p.access() == Procedure.Access.WRITE) {
                LOG.info("libvirt {} of {} failed: {}", p.api(), s, t.getMessage());
            } else {
                // anyone may look up names that do not exist, as fast as they like: not worth a log line each
                LOG.debug("libvirt {} of {} failed: {}", p.api(), s, t.getMessage());
            }
        } else {
            LOG.error("libvirt {} of {} failed with an internal error", p.api(), s, t);
        }
    }
}
