package org.vnetd.core.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The judgement part of the doctor, on fixed input (the namespace test covers real nft output). */
class FirewallDiagnosisTest {
    private final FirewallDiagnosis diagnosis = new FirewallDiagnosis();

    private static final String RULESET = """
            {"nftables": [
              {"metainfo": {"version": "1.0.6"}},
              {"table": {"family": "inet", "name": "vnetd", "handle": 1}},
              {"chain": {"family": "inet", "table": "vnetd", "name": "forward", "handle": 1, "type": "filter",
                         "hook": "forward", "prio": 0, "policy": "accept"}},
              {"chain": {"family": "inet", "table": "vnetd", "name": "vn_virbr0_out", "handle": 2}},
              {"table": {"family": "ip", "name": "filter", "handle": 2}},
              {"chain": {"family": "ip", "table": "filter", "name": "FORWARD", "handle": 1, "type": "filter",
                         "hook": "forward", "prio": 0, "policy": "drop"}},
              {"chain": {"family": "ip", "table": "filter", "name": "INPUT", "handle": 2, "type": "filter",
                         "hook": "input", "prio": 0, "policy": "accept"}},
              {"rule": {"family": "ip", "table": "filter", "chain": "INPUT", "handle": 7, "expr": [
                {"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "virbr0"}},
                {"match": {"op": "==", "left": {"payload": {"protocol": "udp", "field": "dport"}}, "right": 67}},
                {"counter": {"packets": 0, "bytes": 0}}, {"drop": null}]}}
            ]}
            """;

    @Test
    void findsEachTrap() {
        List<FirewallFinding> f = diagnosis.analyze(new FirewallDiagnosis.Input(Optional.of("0"), Optional.of("1"),
                Optional.of(RULESET), "vnetd", Set.of("virbr0"),
                Map.of("default", List.of("vn_virbr0_out", "vn_virbr0_nat"))));
        assertEquals(List.of("ip_forward", "br_netfilter", "foreign_forward_drop", "vnetd_rules_missing", "foreign_service_drop"),
                f.stream().map(FirewallFinding::check).toList(), f.toString());
        assertEquals("network 'default' is running but table inet vnetd lacks its chain(s) vn_virbr0_nat "
                + "(another tool flushed or replaced the ruleset?)", f.get(3).message());
    }

    @Test
    void aHealthyHostHasNone() {
        assertEquals(List.of(), diagnosis.analyze(new FirewallDiagnosis.Input(Optional.of("1"), Optional.empty(),
                Optional.of("{\"nftables\": []}"), "vnetd", Set.of(), Map.of())));
    }
}
