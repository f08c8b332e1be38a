#!/usr/bin/python3
"""What virtqemud asks libvirt's network daemon when a domain with <interface type='network'> starts,
has a NIC hot-plugged, stops, and when virtqemud restarts with the domain running — through Debian's
python3-libvirt, against the URI given. Prints one JSON object of what it saw; exits non-zero on a failure.

  virtqemud-sequence.py URI NETWORK start|restart
"""
import json
import sys

import libvirt

PORT = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
OWNER = "<owner><name>guest1</name><uuid>c0ffee00-0000-4000-8000-000000000001</uuid></owner>"
MAC = "52:54:00:6b:00:01"
BANDWIDTH = "<bandwidth><inbound average='1000' peak='2000' burst='1024'/><outbound average='500'/></bandwidth>"


def port_xml(plug=""):
    return ("<networkport><uuid>%s</uuid>%s<mac address='%s'/>%s%s</networkport>"
            % (PORT, OWNER, MAC, BANDWIDTH, plug))


def main():
    uri, netname, phase = sys.argv[1], sys.argv[2], sys.argv[3]
    out = {}
    conn = libvirt.open(uri)
    # virtqemud forwards the identity of the user it acts for
    conn.setIdentity({"user-name": "root", "unix-user-id": 0, "process-id": 1}, 0)
    net = conn.networkLookupByName(netname)
    bridge = net.bridgeName()
    if phase == "start":
        # domain start: a port without <plug>; the daemon answers with the plug to use
        port = net.portCreateXML(port_xml(), 0)
        out["uuid"] = port.UUIDString()
        out["xml"] = port.XMLDesc(0)
        # hot-plug / status lookups go by uuid
        again = net.portLookupByUUIDString(PORT)
        out["lookup"] = again.UUIDString()
        out["params"] = again.parameters(0)
        # virtqemud's domiftune: new bandwidth for the running guest's port
        again.setParameters({"inbound.average": 4000, "inbound.peak": 8000, "inbound.burst": 0, "inbound.floor": 0,
                             "outbound.average": 0, "outbound.peak": 0, "outbound.burst": 0}, 0)
        out["params_after_set"] = again.parameters(0)
        out["xml_after_set"] = again.XMLDesc(0)
        out["list"] = [p.UUIDString() for p in net.listAllPorts(0)]
        # domain stop
        again.delete(0)
        out["after_delete"] = [p.UUIDString() for p in net.listAllPorts(0)]
        # the domain runs again and virtqemud restarts: the port comes back with its plug (RECLAIM), twice
        plug = "<plug type='network' bridge='%s'/>" % bridge
        net.portCreateXML(port_xml(plug), libvirt.VIR_NETWORK_PORT_CREATE_RECLAIM)
        net.portCreateXML(port_xml(plug), libvirt.VIR_NETWORK_PORT_CREATE_RECLAIM)
        out["reclaimed"] = [p.UUIDString() for p in net.listAllPorts(0)]
        try:
            net.portCreateXML(port_xml(), libvirt.VIR_NETWORK_PORT_CREATE_RECLAIM)
            out["reclaim_without_plug"] = "accepted"
        except libvirt.libvirtError as e:
            out["reclaim_without_plug"] = [e.get_error_code(), e.get_error_domain(), e.get_error_message()]
    else:
        out["xml"] = net.portLookupByUUIDString(PORT).XMLDesc(0)
        net.portLookupByUUIDString(PORT).delete(0)
    # `virsh domifaddr --source lease`: the leases of the guest's MAC
    out["leases"] = net.DHCPLeases(MAC, 0)
    out["bridge"] = bridge
    conn.close()
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
