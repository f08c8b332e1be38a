package org.vnetd.daemon.libvirt.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.daemon.libvirt.wire.LibvirtErrors;
import org.vnetd.daemon.libvirt.wire.LibvirtFault;

/** NETWORK_PORT_SET_PARAMETERS' typed parameters to a bandwidth, as libvirt's networkPortSetParameters reads them. */
class PortBandwidthParamsTest {
    @Test
    void givenValuesMakeTheBandwidthAndADirectionWithoutAnAverageIsLeftOut() {
        assertEquals(Optional.of(new Bandwidth(OptionalLong.empty(),
                Optional.of(new Bandwidth.Rate(OptionalLong.of(4000), OptionalLong.of(8000), OptionalLong.empty(), OptionalLong.empty())),
                Optional.empty())), PortProcedures.bandwidth(Map.of("inbound.average", 4000L, "inbound.peak", 8000L,
                        "outbound.peak", 10L)));
        assertEquals(Optional.empty(), PortProcedures.bandwidth(Map.of("inbound.average", 0L)), "all zero: no bandwidth");
    }

    @Test
    void unknownFieldsAndWrongTypesAreRefusedAsLibvirtRefusesThem() {
        LibvirtFault unknown = assertThrows(LibvirtFault.class, () -> PortProcedures.bandwidth(Map.of("inbound.ceiling", 1L)));
        assertEquals(LibvirtErrors.ARGUMENT_UNSUPPORTED, unknown.error().code());
        assertEquals("argument unsupported: parameter 'inbound.ceiling' not supported", unknown.error().message());
        LibvirtFault type = assertThrows(LibvirtFault.class, () -> PortProcedures.bandwidth(Map.of("inbound.average", "fast")));
        assertEquals(LibvirtErrors.INVALID_ARG, type.error().code());
    }
}
