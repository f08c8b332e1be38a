package org.vnetd.daemon.activation;

import java.net.SocketAddress;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.unix.UnixChannel;

/**
 * A netty bind that first looks for a socket systemd passed under the same name: found (and bound to
 * the address the service wants), it is wrapped in a channel and registered with the bootstrap's loop,
 * options and handlers, so whatever queued in it while no daemon ran is read now; not found, a new
 * socket is bound as before and handed to the store. Either way the caller gets a future of the channel.
 */
public final class AdoptingBind {
    private static final Logger LOG = LoggerFactory.getLogger(AdoptingBind.class);

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
}
