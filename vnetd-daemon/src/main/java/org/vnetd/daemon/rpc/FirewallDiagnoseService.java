package org.vnetd.daemon.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.plan.ServiceConfigs;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.firewall.FirewallFinding;
import org.vnetd.core.firewall.FirewallPlan;
import org.vnetd.core.firewall.FirewallPlanner;
import org.vnetd.core.rpc.DiagnoseResult;
import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.daemon.firewall.FirewallDoctor;

/**
 * {@code firewall.diagnose}: what {@link FirewallDoctor} finds about the host firewall, judged against the
 * firewall plans of the running networks (their live definitions planned again, exactly as a start plans it). Read-only:
 * it lists the ruleset and reads sysctls, nothing else.
 *
 * <p>A diagnosis lists the whole ruleset (a process per call), so callers share runs, at most one per
 * {@link #MIN_GAP}. A read-write caller gets a diagnosis that started after it asked. On the read-only socket,
 * which every local user can reach, a caller gets the last diagnosis at once (one older than
 * {@link #READ_ONLY_AGE} is refreshed for later callers), so no user can keep requests waiting in the daemon,
 * and its findings about other tools' firewall name
 * none of their tables, chains or rule handles: only root sees those.
 */
public final class FirewallDiagnoseService {
    static final Duration MIN_GAP = Duration.ofMillis(500);
    static final Duration READ_ONLY_AGE = Duration.ofSeconds(2);
    private static final String ROOT_HINT = "which table, chain and rule is shown only on the read-write socket: "
            + "run vnetctl doctor as root";

    private final CoalescedRuns<List<FirewallFinding>> runs;

    public FirewallDiagnoseService(NetworkDriver driver, FirewallDoctor doctor) {
        this(() -> doctor.diagnose(runningPlans(driver)), MIN_GAP, CoalescedRuns.Clock.SYSTEM);
    }

    FirewallDiagnoseService(Callable<List<FirewallFinding>> diagnosis, Duration minGap, CoalescedRuns.Clock clock) {
        this.runs = new CoalescedRuns<>(diagnosis, minGap, clock);
    }

    /** Callers waiting for a run that has not started yet (tests). */
    int waitingForNextRun() {
        return runs.waitingForNextRun();
    }

    public List<RpcMethod> all() {
        return List.of(RpcMethod.onWorker(Methods.FIREWALL_DIAGNOSE, RpcMethod.Access.READ, this::diagnose));
    }

    DiagnoseResult diagnose(RpcCall call) throws Exception {
        if (call.readOnlySocket()) {
            return new DiagnoseResult(runs.recent(READ_ONLY_AGE).stream().map(FirewallDiagnoseService::anonymous).toList());
        }
        return new DiagnoseResult(runs.fresh());
    }

    /** A finding about another tool's rules, naming none of them; findings about the host or vnetd's own rules as they are. */
    static FirewallFinding anonymous(FirewallFinding f) {
        String what = switch (f.check()) {
            case "foreign_forward_drop" -> "another firewall table has policy drop on the forward hook: guest traffic "
                    + "that vnetd accepts is still dropped there, since every table must accept a packet";
            case "foreign_input_drop" -> "another firewall table has policy drop on the input hook: guests' DHCP and DNS "
                    + "requests to the host are dropped unless that chain accepts them";
            case "foreign_forward_reject" -> "a rule in another firewall table drops or rejects forwarded traffic that "
                    + "guests send or receive: vnetd's accept in its own table cannot override it";
            case "foreign_service_drop" -> "a rule in another firewall table drops DHCP or DNS requests that guests "
                    + "send to the host: they get no address or no name resolution";
            default -> f.check().startsWith("foreign_")
                    ? "another firewall table interferes with the networks' traffic: see " + f.check() + " in docs/rpc.md"
                    : null;
        };
        return what == null ? f : new FirewallFinding(f.check(), f.severity(), what, ROOT_HINT);
    }

    private static List<FirewallPlan> runningPlans(NetworkDriver driver) {
        FirewallPlanner planner = new FirewallPlanner();
        List<FirewallPlan> plans = new ArrayList<>();
        for (NetworkSummary s : driver.list()) {
            if (!s.active()) {
                continue;
            }
            try {
                plans.add(planner.plan(ServiceConfigs.firewall(driver.definition(s.name(), false))));
            } catch (VnetException e) {
                // stopped or undefined between list and definition: it has no rules to check any more
            }
        }
        return plans;
    }
}
