package org.vnetd.cli.command;

import org.vnetd.cli.Session;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** The {@code <port>} option and virsh's port lookup failure. */
final class Ports {
    static final OptionDef PORT = OptionDef.data("port", "port UUID");

    private Ports() {
    }

    static boolean failed(Session s, String network, String port, VnetException e, String operationMessage) {
        if (e.code() == ErrorCode.NO_SUCH_PORT) {
            s.error("failed to get network port '" + port + "'");
            s.report(e);
            return false;
        }
        return Networks.failed(s, network, e, operationMessage);
    }
}
