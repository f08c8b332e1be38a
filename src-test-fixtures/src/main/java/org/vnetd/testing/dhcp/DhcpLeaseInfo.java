package org.vnetd.testing.dhcp;

import java.util.List;
import java.util.Map;

/**
 * What a real client reported to its script: address and the options it received. Fields are null
 * when the client did not report them. {@code env} keeps everything the script saw.
 */
public record DhcpLeaseInfo(String event, String address, String subnetMask, String router, List<String> dns,
        String domain, Integer mtu, Long leaseSeconds, Map<String, String> env) {
}
