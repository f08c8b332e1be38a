package org.vnetd.core.port;

import java.util.Optional;
import java.util.OptionalLong;

/** {@code <bandwidth classID=…>} with inbound and outbound rates (kbytes/s, kbytes), as libvirt keeps them. */
public record Bandwidth(OptionalLong classId, Optional<Rate> inbound, Optional<Rate> outbound) {
    /** One direction; {@code floor} is inbound only in libvirt. */
    public record Rate(OptionalLong average, OptionalLong peak, OptionalLong floor, OptionalLong burst) {
    }
}
