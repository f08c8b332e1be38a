package org.vnetd.cli.doctor;

import java.util.List;

/** One doctor check over the host state and the networks the daemon reported. */
public interface Check {
    List<Finding> run(HostProbe host, List<NetworkFacts> networks);
}
