package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Root of libvirt's network XML ({@code <network>}). Mutable JAXB bean: attribute values are kept as
 * their XML text (canonicalised by {@code NetworkXml.parse}); the lower-case methods are typed
 * views for the rest of vnetd.
 */
@XmlRootElement(name = "network")
@XmlType(name = "network")
@XmlAccessorType(XmlAccessType.FIELD)
public class NetworkDef {
    @XmlAttribute(name = "connections")
    private String connections;
    @XmlAttribute(name = "ipv6")
    private String ipv6;
    @XmlAttribute(name = "trustGuestRxFilters")
    private String trustGuestRxFilters;

    @XmlElement(name = "name")
    private String name;
    @XmlElement(name = "uuid")
    private String uuid;
    @XmlElement(name = "title")
    private String title;
    @XmlElement(name = "description")
    private String description;
    @XmlElement(name = "metadata")
    private MetadataDef metadata;
    @XmlElement(name = "forward")
    private ForwardDef forward;
    @XmlElement(name = "bridge")
    private BridgeDef bridge;
    @XmlElement(name = "mtu")
    private MtuDef mtu;
    @XmlElement(name = "mac")
    private MacDef mac;
    @XmlElement(name = "domain")
    private DomainDef domain;
    @XmlElement(name = "dns")
    private DnsDef dns;
    @XmlElement(name = "vlan")
    private VlanDef vlan;
    @XmlElement(name = "bandwidth")
    private BandwidthDef bandwidth;
    @XmlElement(name = "port")
    private PortOptionsDef port;
    @XmlElement(name = "ip")
    private List<IpDef> ips;
    @XmlElement(name = "route")
    private List<RouteDef> routes;
    @XmlElement(name = "virtualport")
    private VirtualPortDef virtualPort;
    @XmlElement(name = "portgroup")
    private List<PortGroupDef> portGroups;
    @XmlElement(name = "options", namespace = DnsmasqOptionsDef.NS)
    private DnsmasqOptionsDef dnsmasqOptions;
    /** A list only so that a repeated element can be refused rather than silently reduced to one. */
    @XmlElement(name = "ovn", namespace = OvnDef.NS)
    private List<OvnDef> ovn;

    public String getConnections() {
        return connections;
    }

    public void setConnections(String connections) {
        this.connections = connections;
    }

    public String getIpv6() {
        return ipv6;
    }

    public void setIpv6(String ipv6) {
        this.ipv6 = ipv6;
    }

    public String getTrustGuestRxFilters() {
        return trustGuestRxFilters;
    }

    public void setTrustGuestRxFilters(String trustGuestRxFilters) {
        this.trustGuestRxFilters = trustGuestRxFilters;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUuid() {
        return uuid;
    }

    public void setUuid(String uuid) {
        this.uuid = uuid;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public MetadataDef getMetadata() {
        return metadata;
    }

    public void setMetadata(MetadataDef metadata) {
        this.metadata = metadata;
    }

    public ForwardDef getForward() {
        return forward;
    }

    public void setForward(ForwardDef forward) {
        this.forward = forward;
    }

    public BridgeDef getBridge() {
        return bridge;
    }

    public void setBridge(BridgeDef bridge) {
        this.bridge = bridge;
    }

    public MtuDef getMtu() {
        return mtu;
    }

    public void setMtu(MtuDef mtu) {
        this.mtu = mtu;
    }

    public MacDef getMac() {
        return mac;
    }

    public void setMac(MacDef mac) {
        this.mac = mac;
    }

    public DomainDef getDomain() {
        return domain;
    }

    public void setDomain(DomainDef domain) {
        this.domain = domain;
    }

    public DnsDef getDns() {
        return dns;
    }

    public void setDns(DnsDef dns) {
        this.dns = dns;
    }

    public VlanDef getVlan() {
        return vlan;
    }

    public void setVlan(VlanDef vlan) {
        this.vlan = vlan;
    }

    public BandwidthDef getBandwidth() {
        return bandwidth;
    }

    public void setBandwidth(BandwidthDef bandwidth) {
        this.bandwidth = bandwidth;
    }

    public PortOptionsDef getPort() {
        return port;
    }

    public void setPort(PortOptionsDef port) {
        this.port = port;
    }

    /** Live, mutable list (never null). */
    public List<IpDef> getIps() {
        if (ips == null) {
            ips = new ArrayList<>();
        }
        return ips;
    }

    /** Live, mutable list (never null). */
    public List<RouteDef> getRoutes() {
        if (routes == null) {
            routes = new ArrayList<>();
        }
        return routes;
    }

    public VirtualPortDef getVirtualPort() {
        return virtualPort;
    }

    public void setVirtualPort(VirtualPortDef virtualPort) {
        this.virtualPort = virtualPort;
    }

    /** Live, mutable list (never null). */
    public List<PortGroupDef> getPortGroups() {
        if (portGroups == null) {
            portGroups = new ArrayList<>();
        }
        return portGroups;
    }

    public DnsmasqOptionsDef getDnsmasqOptions() {
        return dnsmasqOptions;
    }

    public void setDnsmasqOptions(DnsmasqOptionsDef dnsmasqOptions) {
        this.dnsmasqOptions = dnsmasqOptions;
    }

    /** Live, mutable list (never null) of {@code <vnetd:ovn>} elements; a valid definition has at most one. */
    public List<OvnDef> getOvns() {
        if (ovn == null) {
            ovn = new ArrayList<>();
        }
        return ovn;
    }

    // ---- typed views ----

    public String name() {
        return name;
    }

    /** The uuid the XML gives, or null when it gives none (the parser invents nothing; the driver assigns one). */
    public UUID uuid() {
        return uuid == null ? null : UUID.fromString(uuid);
    }

    public Optional<String> bridgeName() {
        return bridge == null ? Optional.empty() : Optional.ofNullable(bridge.getName());
    }

    public ForwardMode forwardMode() {
        if (forward == null) {
            return ForwardMode.NONE;
        }
        return forward.getMode() == null ? ForwardMode.NAT : ForwardMode.fromXml(forward.getMode());
    }

    public List<IpDef> ips() {
        return getIps();
    }

    /** The forward device (first {@code <interface>}), as libvirt's virNetworkDefForwardIf(def, 0). */
    public Optional<String> forwardDev() {
        if (forward == null || forward.getInterfaces().isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(forward.getInterfaces().get(0).getDev());
    }

    /** The configured bridge MTU, if any. */
    public Optional<Integer> mtu() {
        return mtu == null || mtu.getSize() == null ? Optional.empty() : Optional.of(Integer.parseUnsignedInt(mtu.getSize()));
    }

    /** The bridge MAC, if any. */
    public Optional<String> macAddress() {
        return mac == null ? Optional.empty() : Optional.ofNullable(mac.getAddress());
    }

    /** The domain name (from {@code <domain name=''>}), if any. */
    public Optional<String> domainName() {
        return domain == null ? Optional.empty() : Optional.ofNullable(domain.getName());
    }

    /** The DNS section, created empty when missing. */
    public DnsDef dnsOrCreate() {
        if (dns == null) {
            dns = new DnsDef();
        }
        return dns;
    }

    /** The OVN binding ({@code <vnetd:ovn>}), if the network is declared to live on OVN. */
    public Optional<OvnDef> ovn() {
        return ovn == null || ovn.isEmpty() ? Optional.empty() : Optional.of(ovn.getFirst());
    }

    /** The forward section's NAT child, or null. */
    public NatDef nat() {
        return forward == null || forward.getNats().isEmpty() ? null : forward.getNats().get(0);
    }
}
