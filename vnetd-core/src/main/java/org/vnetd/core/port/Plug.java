package org.vnetd.core.port;

import java.util.Objects;
import java.util.Optional;

/** libvirt's {@code <plug type=…>}: how the port reaches the network. */
public sealed interface Plug {
    /** {@code type} attribute value. */
    String type();

    /** No {@code <plug>} element. */
    record None() implements Plug {
        @Override
        public String type() {
            return "none";
        }
    }

    /** A bridge the network manages ({@code type='network'}); macTableManager 'kernel' or 'libvirt'. */
    record Network(String bridge, Optional<String> macTableManager) implements Plug {
        public Network {
            Objects.requireNonNull(bridge, "bridge");
            Objects.requireNonNull(macTableManager, "macTableManager");
        }

        @Override
        public String type() {
            return "network";
        }
    }

    /** A host bridge the network only names ({@code <forward mode='bridge'>}). */
    record Bridge(String bridge, Optional<String> macTableManager) implements Plug {
        public Bridge {
            Objects.requireNonNull(bridge, "bridge");
            Objects.requireNonNull(macTableManager, "macTableManager");
        }

        @Override
        public String type() {
            return "bridge";
        }
    }

    /** macvtap on a host device. */
    record Direct(String dev, String mode) implements Plug {
        public Direct {
            Objects.requireNonNull(dev, "dev");
            Objects.requireNonNull(mode, "mode");
        }

        @Override
        public String type() {
            return "direct";
        }
    }

    /** A PCI host device (SR-IOV VF); address fields as written, e.g. {@code 0x0001}. */
    record HostdevPci(Optional<Boolean> managed, Optional<String> driver, String domain, String bus, String slot,
            String function) implements Plug {
        @Override
        public String type() {
            return "hostdev-pci";
        }
    }
}
