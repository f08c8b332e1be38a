package org.vnetd.daemon.dhcp;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.vnetd.core.dhcp.ClientId;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.MacAddress;

/**
 * Reads libvirt's {@code /var/lib/libvirt/dnsmasq/virbrN.status}: a JSON array of objects with
 * {@code ip-address}, {@code mac-address}, {@code hostname}, {@code client-id}, {@code expiry-time}
 * (epoch seconds; 0 or absent means infinite). IPv6 entries are skipped (this server is DHCPv4).
 */
public final class LibvirtLeaseImport {
    private LibvirtLeaseImport() {
    }

    public static List<DhcpLease> read(Path statusFile) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(statusFile.toFile());
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot read libvirt lease file " + statusFile + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return List.of(); // libvirt writes an empty file for a network without leases
        }
        if (!root.isArray()) {
            throw new VnetException(ErrorCode.STATE_IO, "libvirt lease file " + statusFile + " is not a JSON array");
        }
        List<DhcpLease> out = new ArrayList<>();
        int i = 0;
        for (JsonNode n : root) {
            String where = statusFile + " entry " + i++;
            String ip = text(n, "ip-address");
            String mac = text(n, "mac-address");
            if (ip == null || !IpAddresses.isValid(ip) || !(IpAddresses.parse(ip) instanceof Inet4Address)) {
                continue;
            }
            try {
                MacAddress m = mac == null ? null : MacAddress.parse(mac);
                String cidText = text(n, "client-id");
                ClientId cid = cidText != null && !cidText.isBlank() ? ClientId.parse(cidText)
                        : m != null ? ClientId.ofMac(m) : null;
                if (cid == null) {
                    throw new IllegalArgumentException("neither client-id nor mac-address");
                }
                long exp = n.path("expiry-time").asLong(0);
                out.add(new DhcpLease((Inet4Address) IpAddresses.parse(ip), cid, m, text(n, "hostname"),
                        exp == 0 ? null : Instant.ofEpochSecond(exp)));
            } catch (RuntimeException e) {
                throw new VnetException(ErrorCode.STATE_IO, where + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
