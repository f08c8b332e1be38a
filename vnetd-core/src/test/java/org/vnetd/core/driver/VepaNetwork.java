package org.vnetd.core.driver;

/** The macvtap pool network the driver tests share: a VEPA network 'direct' over the host's eth1 and eth2. */
final class VepaNetwork {
    static final String XML = xml("");

    private VepaNetwork() {
    }

    /** Its definition with {@code more} (elements of {@code <network>}) after its {@code <forward>}. */
    static String xml(String more) {
        return """
                <network>
                  <name>direct</name>
                  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
                  <forward mode='vepa'>
                    <interface dev='eth1'/>
                    <interface dev='eth2'/>
                  </forward>
                """ + more + "</network>\n";
    }

    /** The host's interfaces it forwards to now exist. */
    static void interfacesExist(FakeSystem sys) {
        sys.links.put("eth1", "");
        sys.links.put("eth2", "");
    }
}
