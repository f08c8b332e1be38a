package org.vnetd.core.rpc;

/** The result of {@code network.getXml} and {@code port.getXml}. */
public record XmlResult(String xml) {
}
