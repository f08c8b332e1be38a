/**
 * libvirt's network XML: read, checked and written exactly as libvirt does.
 *
 * <ul>
 *   <li>{@link org.vnetd.core.xml.NetworkXml#parse} — safe parsing ({@code SafeXml}: no DTD/entities, 1 MiB cap;
 *       an instance reuses its parsers, so the driver and the port manager each own one) plus
 *       the checks of libvirt's virNetworkDefParseXML; canonicalises addresses, MACs, UUID, numbers and
 *       invents nothing (a uuid the XML lacks is left to the driver). The checks are
 *       {@code NetworkChecks} (top level, in libvirt's order) calling one class per section
 *       ({@code DnsChecks}, {@code IpChecks}, {@code RouteChecks}, {@code ForwardChecks},
 *       {@code PortProfileChecks}) over the value readers of {@code XmlValues}.
 *   <li>{@link org.vnetd.core.xml.NetworkXml#validate} — the network driver's networkValidate plus
 *       vnetd's own rules (file-safe names, bridge names, unique in-subnet DHCP hosts); fills in a
 *       52:54:00 bridge MAC for bridge-based networks, as libvirt does on define.
 *   <li>{@link org.vnetd.core.xml.NetworkXml#format} — virNetworkDefFormat, byte for byte: {@code NetworkFormatter}
 *       writes the network's own elements and one class per group the rest ({@code ForwardFormatter},
 *       {@code DnsFormatter}, {@code IpFormatter}, {@code PortProfileFormatter}) into one {@code XmlBuf}.
 *   <li>{@link org.vnetd.core.xml.NetworkUpdate#apply} — virNetworkDefUpdateSection (net-update).
 * </ul>
 *
 * <p>The model ({@code org.vnetd.core.xml.model}) is a mutable JAXB tree keeping attribute text;
 * its lower-case methods ({@code name()}, {@code forwardMode()}, {@code ips()}, {@code prefix()} ...)
 * are the typed views the rest of vnetd uses.
 */
package org.vnetd.core.xml;
