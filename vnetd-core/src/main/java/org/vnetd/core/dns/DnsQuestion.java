package org.vnetd.core.dns;

/** The question of a query: name, numeric type and class (unknown codes are kept as they are). */
public record DnsQuestion(DnsName name, int type, int dnsClass) {
    public static final int CLASS_IN = 1;
    public static final int CLASS_ANY = 255;

    public static DnsQuestion in(String name, RecordType type) {
        return new DnsQuestion(DnsName.of(name), type.code(), CLASS_IN);
    }

    public int wireLength() {
        return name.wireLength() + 4;
    }

    @Override
    public String toString() {
        return name + " " + RecordType.nameOf(type) + (dnsClass == CLASS_IN ? "" : " class " + dnsClass);
    }
}
