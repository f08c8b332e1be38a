package org.vnetd.daemon.firewall;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code nft -f -} and {@code nft list …} inside the daemon through libnftables (the library
 * the {@code nft} program is a thin wrapper of), called with FFM. The script is the same and so is
 * the guarantee: {@code nft_run_cmd_from_buffer} sends the whole script as one netlink batch that
 * the kernel commits entirely or not at all. What goes away is a fork+exec per change, which was
 * most of a network start (40–90 ms of ~100 ms on a loaded host). Any other command, e.g.
 * {@code nft --version}, goes to the fallback runner.
 *
 * <p>The library's netlink socket belongs to the network namespace of the thread that creates or
 * first uses it, as a forked {@code nft} belongs to its parent's; the daemon's threads all share
 * one. So this runner is only used where the fallback runs commands right here (no
 * {@code ip netns exec} prefix), and tests create it on a thread inside their namespace.
 */
public final class LibNftablesRunner implements CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LibNftablesRunner.class);

    private final CommandRunner fallback;
    private final Lib lib;
    /** One context for the daemon's life; libnftables contexts are not thread-safe. */
    private final MemorySegment ctx;

    private LibNftablesRunner(CommandRunner fallback, Lib lib) throws Throwable {
        this.fallback = fallback;
        this.lib = lib;
        this.ctx = (MemorySegment) lib.ctxNew.invokeExact(0);
        if (ctx.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("nft_ctx_new returned NULL");
        }
        int a = (int) lib.bufferOutput.invokeExact(ctx);
        int b = (int) lib.bufferError.invokeExact(ctx);
        if (a != 0 || b != 0) {
            throw new IllegalStateException("nft_ctx_buffer_output/error failed");
        }
    }

    /** This runner when libnftables.so.1 can be loaded, else {@code fallback} itself. */
    public static CommandRunner orFallback(CommandRunner fallback) {
        try {
            return new LibNftablesRunner(fallback, new Lib());
        } catch (Throwable e) {
            LOG.info("libnftables not usable ({}); running the nft program for each firewall change", e.toString());
            return fallback;
        }
    }

    @Override
    public synchronized CommandResult run(List<String> argv, String stdin) {
        Optional<String> script = script(argv, stdin);
        if (script.isEmpty()) {
            return fallback.run(argv, stdin);
        }
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) lib.runFromBuffer.invokeExact(ctx, arena.allocateFrom(script.get()));
            String out = read((MemorySegment) lib.outputBuffer.invokeExact(ctx));
            String err = read((MemorySegment) lib.errorBuffer.invokeExact(ctx));
            if (rc != 0 && argv.contains("-f")) {
                // nothing was changed. The library's report for a buffer has no line number (nft 1.0.6
                // even quotes the wrong line), so on this rare path the nft program checks the same
                // script (-c: nothing is applied) and its "/dev/stdin:LINE:" report is used
                CommandResult check = fallback.run(List.of("nft", "-c", "-f", "-"), script.get());
                if (!check.ok() && check.exitCode() != NOT_FOUND) {
                    err = check.stderr();
                }
            }
            return new CommandResult(argv, rc == 0 ? 0 : 1, out, err);
        } catch (Throwable e) {
            return new CommandResult(argv, 1, "", "libnftables call failed: " + e);
        }
    }

    /** The nft script an argv stands for: stdin for {@code nft -f -}, the words for {@code nft list …}. */
    static Optional<String> script(List<String> argv, String stdin) {
        if (argv.isEmpty() || !argv.getFirst().equals("nft")) {
            return Optional.empty();
        }
        if (argv.equals(List.of("nft", "-f", "-"))) {
            return Optional.of(stdin == null ? "" : stdin);
        }
        if (argv.size() > 1 && argv.get(1).equals("list") && argv.stream().noneMatch(a -> a.startsWith("-"))) {
            return Optional.of(String.join(" ", argv.subList(1, argv.size())));
        }
        return Optional.empty();
    }

    private static String read(MemorySegment s) {
        return s.equals(MemorySegment.NULL) ? "" : s.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** The six libnftables entry points used. */
    private static final class Lib {
        final MethodHandle ctxNew;
        final MethodHandle bufferOutput;
        final MethodHandle bufferError;
        final MethodHandle runFromBuffer;
        final MethodHandle outputBuffer;
        final MethodHandle errorBuffer;

        Lib() {
            Linker linker = Linker.nativeLinker();
            SymbolLookup so = SymbolLookup.libraryLookup("libnftables.so.1", Arena.global());
            ctxNew = handle(linker, so, "nft_ctx_new", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            FunctionDescriptor intOfCtx = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
            bufferOutput = handle(linker, so, "nft_ctx_buffer_output", intOfCtx);
            bufferError = handle(linker, so, "nft_ctx_buffer_error", intOfCtx);
            runFromBuffer = handle(linker, so, "nft_run_cmd_from_buffer",
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            FunctionDescriptor strOfCtx = FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS);
            outputBuffer = handle(linker, so, "nft_ctx_get_output_buffer", strOfCtx);
            errorBuffer = handle(linker, so, "nft_ctx_get_error_buffer", strOfCtx);
        }

        private static MethodHandle handle(Linker linker, SymbolLookup so, String name, FunctionDescriptor fd) {
            return linker.downcallHandle(so.find(name).orElseThrow(() -> new IllegalStateException("no symbol " + name)), fd);
        }
    }
}
