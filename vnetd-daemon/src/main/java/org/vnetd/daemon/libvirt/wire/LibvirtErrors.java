package org.vnetd.daemon.libvirt.wire;

import java.util.List;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.libvirt.xdr.XdrException;

/**
 * libvirt's error numbers and domains (include/libvirt/virterror.h), and the one table that maps
 * vnetd's {@link ErrorCode} onto them. Messages keep libvirt's wording: the core already writes most
 * of them with libvirt's prefix ("Network not found: …"); the others get the prefix libvirt's
 * {@code virErrorMsg} would give their code.
 */
public final class LibvirtErrors {
    // virErrorDomain
    public static final int FROM_NONE = 0;
    public static final int FROM_RPC = 7;
    public static final int FROM_NETWORK = 19;

    // virErrorNumber
    public static final int INTERNAL_ERROR = 1;
    public static final int NO_SUPPORT = 3;
    public static final int NO_CONNECT = 5;
    public static final int INVALID_ARG = 8;
    public static final int OPERATION_FAILED = 9;
    public static final int XML_ERROR = 27;
    public static final int XML_DETAIL = 35;
    public static final int OPERATION_DENIED = 29;
    public static final int SYSTEM_ERROR = 38;
    public static final int RPC = 39;
    public static final int NO_NETWORK = 43;
    public static final int OPERATION_INVALID = 55;
    public static final int CONFIG_UNSUPPORTED = 67;
    public static final int OPERATION_TIMEOUT = 68;
    public static final int ARGUMENT_UNSUPPORTED = 74;
    public static final int OPERATION_UNSUPPORTED = 84;
    public static final int ACCESS_DENIED = 88;
    public static final int NETWORK_PORT_EXIST = 106;
    public static final int NO_NETWORK_PORT = 107;
    public static final int NO_NETWORK_METADATA = 111;

    /** A libvirt code and what virErrorMsg puts before and after the detail ("" where it adds nothing). */
    private record Kind(int code, String prefix, String suffix) {
        Kind(int code, String prefix) {
            this(code, prefix, "");
        }
    }

    /** Prefixes the core writes itself, which decide the code when present (most specific first). */
    private static final List<Kind> WORDED = List.of(
            // XML that is not well formed, worded as libvirt's catchXMLError words libxml2's error (SafeXml)
            new Kind(XML_DETAIL, "(network_definition):"),
            new Kind(XML_DETAIL, "(networkport_definition):"),
            new Kind(XML_DETAIL, "network_update_xml:"),
            new Kind(OPERATION_INVALID, "Requested operation is not valid: "),
            new Kind(OPERATION_TIMEOUT, "Timed out during operation: "),
            new Kind(NO_NETWORK, "Network not found: "),
            new Kind(NO_NETWORK_PORT, "network port not found: "),
            new Kind(OPERATION_DENIED, "operation forbidden: "),
            new Kind(OPERATION_FAILED, "operation failed: "),
            new Kind(OPERATION_UNSUPPORTED, "Operation not supported: "),
            new Kind(CONFIG_UNSUPPORTED, "unsupported configuration: "),
            new Kind(INVALID_ARG, "invalid argument: "),
            new Kind(XML_ERROR, "XML error: "),
            new Kind(INTERNAL_ERROR, "internal error: "));

    private LibvirtErrors() {
    }

    /** What libvirt reports for each vnetd error code: its number and its message prefix. */
    private static Kind kind(ErrorCode code) {
        return switch (code) {
            case INTERNAL -> new Kind(INTERNAL_ERROR, "internal error: ");
            case XML_PARSE, XML_VALIDATION, XML_UNSAFE -> new Kind(XML_ERROR, "XML error: ");
            case NO_SUCH_NETWORK -> new Kind(NO_NETWORK, "Network not found: ");
            case NETWORK_EXISTS -> new Kind(OPERATION_FAILED, "operation failed: ");
            // libvirt's net-update reports a duplicate entry as an invalid operation, as vnetd's conflicts are
            case NETWORK_ACTIVE, NETWORK_INACTIVE, CONFLICT -> new Kind(OPERATION_INVALID, "Requested operation is not valid: ");
            case FIREWALL -> new Kind(INTERNAL_ERROR, "internal error: ");
            case INVALID_ARGUMENT -> new Kind(INVALID_ARG, "invalid argument: ");
            case OPERATION_UNSUPPORTED -> new Kind(OPERATION_UNSUPPORTED, "Operation not supported: ");
            case NO_SUCH_PORT -> new Kind(NO_NETWORK_PORT, "network port not found: ");
            // libvirt's template "network port %s exists already" around its detail "Network port with UUID … already exists"
            case PORT_EXISTS -> new Kind(NETWORK_PORT_EXIST, "network port ", " exists already");
            case KERNEL, DHCP, DNS, TFTP, OVN, STATE_IO -> new Kind(SYSTEM_ERROR, "");
            case PERMISSION_DENIED -> new Kind(OPERATION_DENIED, "operation forbidden: ");
            case RPC_PROTOCOL, RPC_UNKNOWN_METHOD -> new Kind(RPC, "");
        };
    }

    /** The error reply for a failure of a network operation. */
    public static RemoteError of(VnetException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        for (Kind k : WORDED) {
            if (message.startsWith(k.prefix())) {
                return new RemoteError(k.code(), domainOf(e.code()), message);
            }
        }
        Kind k = kind(e.code());
        return new RemoteError(k.code(), domainOf(e.code()), k.prefix() + message + k.suffix());
    }

    /** The error reply for any failure: vnetd's own errors by the table, undecodable arguments as RPC errors, bugs as internal errors. */
    public static RemoteError from(Throwable t) {
        if (t instanceof LibvirtFault f) {
            return f.error();
        }
        if (t instanceof VnetException v) {
            return of(v);
        }
        if (t instanceof XdrException x) {
            return rpc("Unable to decode message payload: " + x.getMessage());
        }
        return new RemoteError(INTERNAL_ERROR, FROM_NETWORK, "internal error: " + t.getClass().getSimpleName()
                + (t.getMessage() == null ? "" : ": " + t.getMessage()));
    }

    private static int domainOf(ErrorCode code) {
        return code == ErrorCode.RPC_PROTOCOL || code == ErrorCode.RPC_UNKNOWN_METHOD ? FROM_RPC : FROM_NETWORK;
    }

    /** An error of the protocol itself (VIR_ERR_RPC from VIR_FROM_RPC); libvirt adds no prefix to these. */
    public static RemoteError rpc(String message) {
        return new RemoteError(RPC, FROM_RPC, message);
    }
}
