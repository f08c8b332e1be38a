import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static final int ROUNDS = Integer.getInteger("rounds", 3);

    /** Per-network figures of one round; {@link #min} keeps the better of two rounds field by field. */
    record Result(double applyMs, double removeMs, double applyCpuMs, double removeCpuMs, int applyExecs,
            int removeExecs, double reloadMs, int reloadExecs) {
        Result min(Result o) {
            return new Result(Math.min(applyMs, o.applyMs), Math.min(removeMs, o.removeMs), Math.min(applyCpuMs, o.applyCpuMs),
                    Math.min(removeCpuMs, o.removeCpuMs), applyExecs, removeExecs, Math.min(reloadMs, o.reloadMs), reloadExecs);
        }

        void print(String backend, int n) {
            System.out.printf("%-9s %5d %13.2f %14.2f %13.2f %14.2f %9s %10.1f %12d%n", backend, n, applyMs, removeMs,
                    applyCpuMs, removeCpuMs, applyExecs + "/" + removeExecs, reloadMs, reloadExecs);
        }
    }

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
            System.out.printf("%-9s %5s %13s %14s %13s %14s %9s %10s %12s%n", "backend", "nets", "apply ms/net",
                    "remove ms/net", "apply cpu/net", "remove cpu/net", "execs/op", "reload ms", "reload execs");
            for (String name : backends) {
                FirewallBackend backend = name.equals("iptables") ? new IptablesBackend(counting) : new NftablesBackend(counting);
                inside.run(() -> run(backend, plans(5), execs)); // warm-up (JIT, page cache)
                double[] perNet = new double[SIZES.length];
                double[] cpuPerNet = new double[SIZES.length];
                for (int s = 0; s < SIZES.length; s++) {
                    int n = SIZES[s];
                    List<FirewallPlan> plans = plans(n);
                    // the best of ROUNDS runs: other work on the host only ever adds time
                    Result best = null;
                    for (int round = 0; round < ROUNDS; round++) {
                        Result r = inside.call(() -> run(backend, plans, execs));
                        best = best == null ? r : best.min(r);
                    }
                    best.print(name, n);
                    perNet[s] = best.applyMs;
                    cpuPerNet[s] = best.applyCpuMs;
                }
                System.out.printf("%-9s per-network apply time 100 vs 10 networks: %.2fx wall, %.2fx cpu (goal <= 1.5x)%n",
                        name, perNet[2] / perNet[1], cpuPerNet[2] / cpuPerNet[1]);
            }
        }
    }

    /**
     * One round: apply each network on its own, re-apply all at once, remove each on its own.
     * CPU time is what the spawned nft/iptables processes used (user + system, from
     * /proc/self/stat's cutime and cstime): it does not grow when other work on the host steals
     * the CPUs, wall time does.
     */
    private static Result run(FirewallBackend backend, List<FirewallPlan> plans, AtomicInteger execs) {
        int n = plans.size();
        execs.set(0);
        long c0 = childCpuMs();
        long t0 = System.nanoTime();
        for (FirewallPlan p : plans) {
            backend.apply(p);
        }
        long applyNs = System.nanoTime() - t0;
        long applyCpu = childCpuMs() - c0;
        int applyExecs = execs.getAndSet(0);

        long t1 = System.nanoTime();
        backend.reapply(plans);
        long reloadNs = System.nanoTime() - t1;
        int reloadExecs = execs.getAndSet(0);

        long c2 = childCpuMs();
        long t2 = System.nanoTime();
        for (FirewallPlan p : plans) {
            backend.remove(p);
        }
        long removeNs = System.nanoTime() - t2;
        long removeCpu = childCpuMs() - c2;
        int removeExecs = execs.getAndSet(0);
        backend.clear();
        return new Result(applyNs / 1e6 / n, removeNs / 1e6 / n, (double) applyCpu / n, (double) removeCpu / n,
                applyExecs / n, removeExecs / n, reloadNs / 1e6, reloadExecs);
    }

    /** CPU time of reaped child processes, ms (fields 16 and 17 of /proc/self/stat, at 100 ticks/s). */
    private static long childCpuMs() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ", field 3 (state) is f[0]; cutime is field 16, cstime field 17
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
