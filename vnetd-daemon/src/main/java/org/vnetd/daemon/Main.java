package org.vnetd.daemon;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.slf4j.LoggerFactory;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.daemon.activation.ListenFds;
import org.vnetd.daemon.activation.ServiceSockets;
import org.vnetd.daemon.config.ConfFile;
import org.vnetd.daemon.config.DaemonOptions;
import org.vnetd.daemon.rpc.RpcClient;
import org.vnetd.daemon.rpc.RpcServer;
import org.vnetd.daemon.systemd.SdNotify;
import org.vnetd.daemon.systemd.Signals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ch.qos.logback.classic.Level;

/** Entry point of the vnetd process. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int status = run(System.out, System.err, args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the daemon until it is stopped (or a one-off {@code --call}); returns the exit status on error. */
    static int run(PrintStream out, PrintStream err, String... args) {
        DaemonOptions options;
        ConfFile conf;
        try {
            options = DaemonOptions.parse(args);
            if (options.help()) {
                out.print(usage());
                return 0;
            }
            if (options.callMethod().isPresent()) {
                return call(out, err, options);
            }
            conf = ConfFile.load(options.confFile());
        } catch (VnetException e) {
            err.println("vnetd: " + e.getMessage());
            return 2;
        }
        setLogLevel(options.logLevel().orElse(conf.logLevel()));
        SdNotify notify = SdNotify.fromEnvironment();
        Signals.Hangups hangups = Signals.catchHangups();
        Daemon daemon;
        try {
            daemon = Daemon.start(options, conf, new ServiceSockets(ListenFds.fromEnvironment(), notify));
        } catch (VnetException e) {
            LoggerFactory.getLogger(Main.class).error("cannot start: {}", e.getMessage());
            err.println("vnetd: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
            notify.stopping();
            daemon.close();
            stopped.countDown();
        }));
        hangups.reloadWith(() -> {
            notify.reloading();
            try {
                ConfFile reread = ConfFile.load(options.confFile());
                setLogLevel(options.logLevel().orElse(reread.logLevel()));
            } catch (VnetException e) {
                LoggerFactory.getLogger(Main.class).error("keeping the old configuration: {}", e.getMessage());
            }
            daemon.reload();
            notify.ready();
        });
        notify.ready();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void setLogLevel(String level) {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.toLevel(level, Level.INFO));
        }
    }

    /** {@code vnetd --call METHOD [PARAMS-JSON]}: one request to a running daemon, the reply on stdout. */
    private static int call(PrintStream out, PrintStream err, DaemonOptions options) {
        Path rw = options.runDir().resolve(RpcServer.SOCKET);
        Path socket = Files.isWritable(rw) ? rw : options.runDir().resolve(RpcServer.READ_ONLY_SOCKET);
        try (RpcClient c = RpcClient.connect(socket)) {
            JsonNode params = options.callParams().isPresent() ? RpcCodec.MAPPER.readTree(options.callParams().get()) : null;
            ObjectNode reply = c.call(options.callMethod().get(), params);
            if (reply.has("error")) {
                err.println("vnetd: error " + reply.get("error").get("code").asInt() + ": " + reply.get("error").get("message").asText());
                return 1;
            }
            out.println(RpcCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(reply.get("result")));
            return 0;
        } catch (IOException e) {
            err.println("vnetd: cannot talk to the daemon at " + socket + ": " + e.getMessage());
            return 1;
        }
    }

    static String usage() {
        return """
                Usage: vnetd [OPTIONS]

                The vnetd virtual network daemon (libvirt network XML, one process, no dnsmasq).

                Options:
                  --config-dir DIR        vnetd.conf and networks/ (default /etc/vnetd)
                  --state-dir DIR         leases and persistent state (default /var/lib/vnetd)
                  --run-dir DIR           sockets and status files (default /run/vnetd)
                  --config-file FILE      the daemon config (default CONFIG_DIR/vnetd.conf)
                  --firewall-backend B    nftables or iptables (overrides vnetd.conf)
                  --log-level LEVEL       TRACE, DEBUG, INFO, WARN, ERROR (overrides vnetd.conf)
                  --no-default-network    do not define the built-in 'default' network on first start
                  --ovs-db REMOTE         the local Open_vSwitch database, for networks on OVN
                                          (default unix:/run/openvswitch/db.sock)
                  --ovn-chassis NAME      this host's OVN chassis name (default: the Open_vSwitch
                                          database's external_ids:system-id)
                  --call METHOD [JSON]    send one RPC request to a running daemon and print the result
                  -h, --help              print this help

                Signals: SIGHUP re-reads vnetd.conf and re-applies firewall rules; SIGTERM stops the
                daemon and leaves running networks up (the next start adopts them).
                """;
    }
}
