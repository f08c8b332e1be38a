import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.vnetd.core.firewall.FirewallBackend;
import org.vnetd.core.firewall.FirewallIp;
import org.vnetd.core.firewall.FirewallNetwork;
import org.vnetd.core.firewall.FirewallPlan;
import org.vnetd.core.firewall.FirewallPlanner;
import org.vnetd.core.firewall.ForwardMode;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.daemon.firewall.CommandResult;
import org.vnetd.daemon.firewall.CommandRunner;
import org.vnetd.daemon.firewall.IptablesBackend;
import org.vnetd.daemon.firewall.NftablesBackend;
import org.vnetd.daemon.firewall.ProcessCommandRunner;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.TestNetns;

/**
 * Firewall benchmark: applies and removes the rules of 1, 10 and 100 NAT networks (each network
 * started and stopped on its own, as net-start/net-destroy do) in a namespace it creates and
 * deletes, and re-applies all of them at once (firewall-reload). Prints time per network and the
 * number of nft/iptables processes per operation. Run through bench/firewall/run.
 */
public final class FirewallBench {
    private static final int[] SIZES = {1, 10, 100};

    public static void main(String[] args) throws Exception {
        List<String> backends = args.length > 0 ? List.of(args) : List.of("nftables", "iptables");
        try (TestNetns ns = TestNetns.create("fwbench"); NetnsExecutor inside = NetnsExecutor.enter(ns)) {
            // commands are spawned from a thread inside the namespace, as the daemon would spawn
            // them in the root namespace: no `ip netns exec` in the measured path
            AtomicInteger execs = new AtomicInteger();
            ProcessCommandRunner real = new ProcessCommandRunner(List.of(), Duration.ofSeconds(60));
            CommandRunner counting = (argv, stdin) -> {
                execs.incrementAndGet();
                CommandResult r = real.run(argv, stdin);
                return r;
            };
            System.out.printf("%-9s %5s %14s %15s %10s %12s %12s%n", "backend", "nets", "apply ms/net",
                    "remove ms/net", "execs/op", "reload ms", "reload execs");
            for (String name : backends) {
                FirewallBackend backend = name.equals("iptables") ? new IptablesBackend(counting) : new NftablesBackend(counting);
                inside.run(() -> run(backend, plans(5), execs, false)); // warm-up (JIT, nft cache)
                double[] perNet = new double[SIZES.length];
                for (int s = 0; s < SIZES.length; s++) {
                    int n = SIZES[s];
                    List<FirewallPlan> plans = plans(n);
                    perNet[s] = inside.call(() -> run(backend, plans, execs, true));
                }
                System.out.printf("%-9s per-network apply time 100 vs 10 networks: %.2fx (goal <= 1.5x)%n", name, perNet[2] / perNet[1]);
            }
        }
    }

    /** Returns apply time per network in ms. */
    private static double run(FirewallBackend backend, List<FirewallPlan> plans, AtomicInteger execs, boolean print) {
        int n = plans.size();
        execs.set(0);
        long t0 = System.nanoTime();
        for (FirewallPlan p : plans) {
            backend.apply(p);
        }
        long applyNs = System.nanoTime() - t0;
        int applyExecs = execs.getAndSet(0);

        long t1 = System.nanoTime();
        backend.reapply(plans);
        long reloadNs = System.nanoTime() - t1;
        int reloadExecs = execs.getAndSet(0);

        long t2 = System.nanoTime();
        for (FirewallPlan p : plans) {
            backend.remove(p);
        }
        long removeNs = System.nanoTime() - t2;
        int removeExecs = execs.getAndSet(0);
        backend.clear();
        double applyMs = applyNs / 1e6 / n;
        if (print) {
            System.out.printf("%-9s %5d %14.2f %15.2f %10s %12.1f %12d%n", backend.name(), n, applyMs, removeNs / 1e6 / n,
                    (applyExecs / n) + "/" + (removeExecs / n), reloadNs / 1e6, reloadExecs);
        }
        return applyMs;
    }

    private static List<FirewallPlan> plans(int n) {
        FirewallPlanner planner = new FirewallPlanner();
        List<FirewallPlan> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FirewallIp ip = new FirewallIp(IpPrefix.parse("10." + (i / 250) + "." + (i % 250) + ".1/24"), true, false);
            out.add(planner.plan(new FirewallNetwork("bench" + i, "bbr" + i, ForwardMode.NAT, Optional.empty(), List.of(ip),
                    Optional.empty(), Optional.empty(), false, true, false)));
        }
        return out;
    }
}
