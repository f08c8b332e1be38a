package org.vnetd.daemon.activation;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.RawUnixChannelOption;
import io.netty.channel.unix.UnixChannel;

/**
 * A netty bind that first looks for a socket systemd passed under the same name: found (and bound to
 * the address the service wants), it is wrapped in a channel and registered with the bootstrap's loop,
 * options and handlers, so whatever queued in it while no daemon ran is read now; not found, a new
 * socket is bound as before and handed to the store. Either way the caller gets a future of the channel.
 */
public final class AdoptingBind {
    private static final Logger LOG = LoggerFactory.getLogger(AdoptingBind.class);
    /** An int option's values, made once: a direct buffer costs more to allocate than the setsockopt it carries. */
    private static final ByteBuffer ON = intValue(1);
    private static final ByteBuffer OFF = intValue(0);

    private AdoptingBind() {
    }

    /**
     * @param bootstrap set up with group, options and handler but no channel factory (one is set here)
     * @param wrap  makes the channel of a passed descriptor (e.g. {@code EpollDatagramChannel::new})
     * @param fresh makes the channel of a new socket, as the bootstrap's own channel factory would
     */
    public static <B extends AbstractBootstrap<B, C>, C extends Channel> ChannelFuture bind(ServiceSockets sockets, String name,
            B bootstrap, SocketAddress address, IntFunction<? extends C> wrap, Supplier<? extends C> fresh) {
        OptionalInt passed = sockets.take(name);
        if (passed.isPresent()) {
            C ch = wrap.apply(passed.getAsInt());
            if (address.equals(ch.localAddress())) {
                LOG.info("{}: serving on the socket systemd kept ({}), with what queued in it", name, address);
                return bootstrap.clone().channelFactory(() -> ch).register();
            }
            LOG.warn("{}: the socket systemd passed is bound to {}, not {}: closing it and binding a new one", name,
                    ch.localAddress(), address);
            ch.unsafe().closeForcibly();
            sockets.closed(name);
        }
        ChannelFuture bound = bootstrap.clone().channelFactory(fresh::get).bind(address);
        bound.addListener(f -> {
            if (f.isSuccess() && bound.channel() instanceof UnixChannel u) {
                sockets.opened(name, u.fd().intValue());
            }
        });
        return bound;
    }

    /**
     * As {@link #bind}, but a new socket is bound here, on the caller's thread, and only then handed to the loop: the
     * caller learns at once whether the address is free and does not wait for the loop to register and bind it (on a
     * loaded machine a wait for another thread costs more than the bind). What arrives before the loop has registered
     * the socket queues in the kernel, as in a socket systemd kept. The options a bind depends on (address reuse,
     * {@code IP_FREEBIND}, raw options such as {@code SO_BINDTODEVICE}) are set before the bind, the bootstrap's
     * others when the loop registers the channel; a registration that fails is logged and the channel closed.
     *
     * @param open    a new unbound socket of the address's family
     * @param wrap    makes the channel of a bound descriptor (e.g. {@code EpollDatagramChannel::new})
     * @param backlog for a stream socket, its listen backlog; negative for a datagram socket
     * @throws IOException when the socket cannot be set up or bound (nothing stays open)
     */
    public static <B extends AbstractBootstrap<B, C>, C extends Channel> C bindHere(ServiceSockets sockets, String name, B bootstrap,
            SocketAddress address, java.util.function.Supplier<LinuxSocket> open, IntFunction<? extends C> wrap, int backlog)
            throws IOException {
        OptionalInt passed = sockets.take(name);
        C ch = null;
        if (passed.isPresent()) {
            C kept = wrap.apply(passed.getAsInt());
            if (address.equals(kept.localAddress())) {
                LOG.info("{}: serving on the socket systemd kept ({}), with what queued in it", name, address);
                ch = kept;
            } else {
                LOG.warn("{}: the socket systemd passed is bound to {}, not {}: closing it and binding a new one", name,
                        kept.localAddress(), address);
                kept.unsafe().closeForcibly();
                sockets.closed(name);
            }
        }
        if (ch == null) {
            LinuxSocket s = open.get();
            try {
                beforeBind(s, bootstrap.config().options());
                s.bind(address);
                if (backlog >= 0) {
                    s.listen(backlog);
                }
                ch = wrap.apply(s.intValue());
            } catch (IOException | RuntimeException e) {
                try {
                    s.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
            sockets.opened(name, s.intValue());
        }
        C registering = ch;
        bootstrap.clone().channelFactory(() -> registering).register().addListener(f -> {
            if (!f.isSuccess()) {
                LOG.error("{}: the event loop could not take the socket bound to {}: {}", name, address, f.cause().toString());
                registering.unsafe().closeForcibly();
                sockets.closed(name);
            }
        });
        return ch;
    }

    private static ByteBuffer intValue(int v) {
        return ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putInt(0, v);
    }

    private static void beforeBind(LinuxSocket s, Map<ChannelOption<?>, Object> options) throws IOException {
        for (Map.Entry<ChannelOption<?>, Object> o : options.entrySet()) {
            if (o.getKey() == ChannelOption.SO_REUSEADDR) {
                s.setReuseAddress((Boolean) o.getValue());
            } else if (o.getKey() == EpollChannelOption.IP_FREEBIND) {
                // SOL_IP, IP_FREEBIND: for IPv6 sockets too (the kernel keeps one flag)
                s.setRawOpt(0, 15, ((Boolean) o.getValue() ? ON : OFF).duplicate());
            } else if (o.getKey() instanceof RawUnixChannelOption raw) {
                s.setRawOpt(raw.level(), raw.optname(), ((ByteBuffer) o.getValue()).duplicate());
            }
        }
    }
}
