package org.vnetd.core.rpc;

import java.util.List;

import org.vnetd.core.firewall.FirewallFinding;

/** The result of {@code firewall.diagnose}. */
public record DiagnoseResult(List<FirewallFinding> findings) {
    public DiagnoseResult {
        findings = List.copyOf(findings);
    }
}
