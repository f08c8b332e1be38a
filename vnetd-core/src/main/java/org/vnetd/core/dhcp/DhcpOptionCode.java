package org.vnetd.core.dhcp;

/** A DHCP option code (RFC 2132), an open enum: unknown codes keep their number. */
public record DhcpOptionCode(int code) {
    public static final int PAD = 0;
    public static final int SUBNET_MASK = 1;
    public static final int ROUTER = 3;
    public static final int DNS_SERVERS = 6;
    public static final int HOST_NAME = 12;
    public static final int DOMAIN_NAME = 15;
    public static final int INTERFACE_MTU = 26;
    public static final int BROADCAST_ADDRESS = 28;
    public static final int REQUESTED_IP = 50;
    public static final int LEASE_TIME = 51;
    public static final int OVERLOAD = 52;
    public static final int MESSAGE_TYPE = 53;
    public static final int SERVER_ID = 54;
    public static final int PARAMETER_REQUEST_LIST = 55;
    public static final int MESSAGE = 56;
    public static final int MAX_MESSAGE_SIZE = 57;
    public static final int RENEWAL_TIME = 58;
    public static final int REBINDING_TIME = 59;
    public static final int VENDOR_CLASS_ID = 60;
    public static final int CLIENT_ID = 61;
    public static final int TFTP_SERVER_NAME = 66;
    public static final int BOOTFILE_NAME = 67;
    public static final int CLIENT_FQDN = 81;
    public static final int RELAY_AGENT_INFO = 82;
    public static final int END = 255;

    public DhcpOptionCode {
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("option code out of range: " + code);
        }
    }

    public static DhcpOptionCode valueOf(int code) {
        return new DhcpOptionCode(code);
    }

    public String name() {
        return switch (code) {
            case PAD -> "Pad";
            case SUBNET_MASK -> "SubnetMask";
            case ROUTER -> "Router";
            case DNS_SERVERS -> "DomainNameServer";
            case HOST_NAME -> "HostName";
            case DOMAIN_NAME -> "DomainName";
            case INTERFACE_MTU -> "InterfaceMTU";
            case BROADCAST_ADDRESS -> "BroadcastAddress";
            case REQUESTED_IP -> "RequestedIPAddress";
            case LEASE_TIME -> "IPAddressLeaseTime";
            case OVERLOAD -> "OptionOverload";
            case MESSAGE_TYPE -> "MessageType";
            case SERVER_ID -> "ServerIdentifier";
            case PARAMETER_REQUEST_LIST -> "ParameterRequestList";
            case MESSAGE -> "Message";
            case MAX_MESSAGE_SIZE -> "MaximumMessageSize";
            case RENEWAL_TIME -> "RenewalTime";
            case REBINDING_TIME -> "RebindingTime";
            case VENDOR_CLASS_ID -> "VendorClassIdentifier";
            case CLIENT_ID -> "ClientIdentifier";
            case TFTP_SERVER_NAME -> "TFTPServerName";
            case BOOTFILE_NAME -> "BootfileName";
            case CLIENT_FQDN -> "ClientFQDN";
            case RELAY_AGENT_INFO -> "RelayAgentInformation";
            case END -> "End";
            default -> "Unknown";
        };
    }

    @Override
    public String toString() {
        return name() + "(" + code + ")";
    }
}
