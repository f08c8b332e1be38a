package org.vnetd.daemon.libvirt.proc;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import org.vnetd.daemon.libvirt.xdr.XdrReader;
import org.vnetd.daemon.libvirt.xdr.XdrWriter;

/**
 * One procedure of libvirt's remote program: its number, who may call it, how its arguments are
 * read, what it does, and how its result is written. {@code api} is the libvirt function the
 * procedure stands for; a read-only connection's denial names it, as libvirt's does.
 */
public record Procedure<A, R>(int number, String api, Access access, RunsOn runsOn, Function<XdrReader, A> args,
        Handler<A, R> handler, BiConsumer<XdrWriter, R> result) {

    /** Who may call a procedure. */
    public enum Access {
        /** Connection set-up: callable before CONNECT_OPEN. */
        SETUP,
        /** Needs an open connection; allowed on a read-only one. */
        READ,
        /** Needs an open connection that is not read-only. */
        WRITE
    }

    /** Where a procedure runs. */
    public enum RunsOn {
        /** On the connection's event loop: connection state only, never blocks. */
        EVENT_LOOP,
        /** On a worker: it may wait for a network lock or the kernel. */
        WORKER
    }

    @FunctionalInterface
    public interface Handler<A, R> {
        R handle(Session session, A args);
    }

    /** A call whose arguments were read, ready to run. */
    @FunctionalInterface
    public interface Call {
        /** Runs the procedure and returns the writer of its result. */
        Consumer<XdrWriter> run(Session session);
    }

    public Procedure {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(runsOn, "runsOn");
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(result, "result");
        if (number <= 0) {
            throw new IllegalArgumentException("procedure number must be positive: " + number);
        }
    }

    /** Reads the arguments (all of them: trailing bytes are an error) and returns the call. */
    public Call read(XdrReader in) {
        A a = args.apply(in);
        in.end();
        return session -> {
            R r = handler.handle(session, a);
            return w -> result.accept(w, r);
        };
    }

    /** For procedures without arguments. */
    public static Void none(XdrReader in) {
        return null;
    }

    /** For procedures without a result. */
    public static <R> void nothing(XdrWriter w, R r) {
        // void result
    }
}
