package org.vnetd.core.tftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.xml.NetworkXml;

class TftpConfigTest {
    @Test
    void libvirtPxeNetworkServesItsRootOnTheBridgeAddress() {
        var def = NetworkXml.parse("""
                <network>
                  <name>pxe</name>
                  <forward mode='nat'/>
                  <bridge name='virbr7'/>
                  <ip address='192.168.100.1' netmask='255.255.255.0'>
                    <tftp root='/var/lib/tftpboot'/>
                    <dhcp>
                      <range start='192.168.100.128' end='192.168.100.254'/>
                      <bootp file='pxelinux.0'/>
                    </dhcp>
                  </ip>
                </network>""");
        TftpConfig cfg = TftpConfig.of(def).orElseThrow();
        assertEquals("pxe", cfg.network());
        assertEquals("virbr7", cfg.interfaceName());
        assertEquals(List.of(new TftpConfig.Served((java.net.Inet4Address) IpAddresses.parse("192.168.100.1"), "/var/lib/tftpboot")),
                cfg.served());
        assertEquals(1468, cfg.limits().maxBlockSize());
    }

    @Test
    void mtuSizesTheBlocks() {
        var def = NetworkXml.parse("""
                <network><name>jumbo</name><bridge name='virbr8'/><mtu size='9000'/>
                  <ip address='10.1.0.1' prefix='24'><tftp root='/srv/tftp'/></ip>
                </network>""");
        assertEquals(8968, TftpConfig.of(def).orElseThrow().limits().maxBlockSize());
    }

    @Test
    void noTftpElementNoService() {
        var def = NetworkXml.parse("""
                <network><name>plain</name><bridge name='virbr9'/>
                  <ip address='10.2.0.1' prefix='24'><dhcp><range start='10.2.0.2' end='10.2.0.9'/></dhcp></ip>
                </network>""");
        assertTrue(TftpConfig.of(def).isEmpty());
    }
}
