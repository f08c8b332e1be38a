package org.vnetd.daemon.libvirt.proc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vnetd.daemon.libvirt.xdr.XdrException;
import org.vnetd.daemon.libvirt.xdr.XdrReader;
import org.vnetd.daemon.libvirt.xdr.XdrWriter;

/**
 * libvirt's {@code remote_typed_param}: a field name and a value whose XDR union discriminant is
 * virTypedParameterType. Read into an ordered map of Java values (Integer, Long, Double, Boolean, String).
 */
public final class TypedParams {
    // virTypedParameterType
    public static final int INT = 1;
    public static final int UINT = 2;
    public static final int LLONG = 3;
    public static final int ULLONG = 4;
    public static final int DOUBLE = 5;
    public static final int BOOLEAN = 6;
    public static final int STRING = 7;

    private record Param(String field, Object value) {
    }

    private TypedParams() {
    }

    public static Map<String, Object> read(XdrReader in, int max) {
        List<Param> list = in.readArray(max, TypedParams::readOne);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Param p : list) {
            out.put(p.field(), p.value());
        }
        return out;
    }

    private static Param readOne(XdrReader in) {
        String field = in.readString(RemoteNetwork.STRING_MAX);
        int type = in.readInt();
        Object value = switch (type) {
            case INT -> in.readInt();
            case UINT -> in.readUnsignedInt();
            case LLONG, ULLONG -> in.readHyper();
            case DOUBLE -> in.readDouble();
            case BOOLEAN -> in.readInt() != 0;
            case STRING -> in.readString(RemoteNetwork.STRING_MAX);
            default -> throw new XdrException("typed parameter '" + field + "' has the unknown type " + type);
        };
        return new Param(field, value);
    }

    /** Writes {@code params} with the types libvirt would give them (uint and ullong where the map holds them as such). */
    public static void write(XdrWriter w, Map<String, TypedValue> params, int max) {
        w.writeArray(params.entrySet(), max, (x, e) -> {
            x.writeString(e.getKey(), RemoteNetwork.STRING_MAX);
            TypedValue v = e.getValue();
            x.writeInt(v.type());
            switch (v.type()) {
                case INT, BOOLEAN -> x.writeInt((int) v.number());
                case UINT -> x.writeUnsignedInt(v.number());
                case LLONG, ULLONG -> x.writeHyper(v.number());
                default -> throw new XdrException("cannot write typed parameter type " + v.type());
            }
        });
    }

    /** A numeric typed value to send. */
    public record TypedValue(int type, long number) {
    }
}
