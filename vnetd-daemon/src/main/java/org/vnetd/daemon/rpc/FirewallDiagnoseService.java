package org.vnetd.daemon.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.driver.ServiceConfigs;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.firewall.FirewallPlan;
import org.vnetd.core.firewall.FirewallPlanner;
import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.daemon.firewall.FirewallDoctor;

/**
 * {@code firewall.diagnose}: what {@link FirewallDoctor} finds about the host firewall, judged against the
 * firewall plans of the running networks (their live definitions planned again, exactly as a start plans it). Read-only:
 * it lists the ruleset and reads sysctls, nothing else. Every other method goes to {@code next}.
 */
public final class FirewallDiagnoseService implements RpcDispatcher {
    private final NetworkDriver driver;
    private final FirewallDoctor doctor;
    private final RpcDispatcher next;
    private final FirewallPlanner planner = new FirewallPlanner();

    public FirewallDiagnoseService(NetworkDriver driver, FirewallDoctor doctor, RpcDispatcher next) {
        this.driver = driver;
        this.doctor = doctor;
        this.next = next;
    }

    @Override
    public Object call(RpcCall call) throws Exception {
        if (!call.method().equals(Methods.FIREWALL_DIAGNOSE)) {
            return next.call(call);
        }
        return Map.of("findings", doctor.diagnose(runningPlans()));
    }

    private List<FirewallPlan> runningPlans() {
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
