package org.vnetd.core.plan;

import java.io.IOException;
import java.util.Arrays;

import org.vnetd.core.firewall.Match;
import org.vnetd.core.firewall.Verdict;
import org.vnetd.core.net.IpPrefix;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

/**
 * The JSON of recorded actions, as status files keep them. Actions carry their {@code kind}; the
 * firewall's sealed matches and verdicts carry their record's simple name as {@code type}; prefixes
 * are written {@code 192.168.122.1/24}. A name here is part of the file format: renaming a match
 * or verdict record needs a reader for the old name.
 */
public final class PlanJson {
    /** Immutable once built; thread-safe for reading and writing. */
    public static final ObjectMapper MAPPER = build();

    private PlanJson() {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    private abstract static class TypedBySimpleName {
    }

    private static ObjectMapper build() {
        SimpleModule prefixes = new SimpleModule("vnetd-plan");
        prefixes.addSerializer(IpPrefix.class, ToStringSerializer.instance);
        prefixes.addDeserializer(IpPrefix.class, new FromStringDeserializer<>(IpPrefix.class) {
            @Override
            protected IpPrefix _deserialize(String value, DeserializationContext ctxt) throws IOException {
                return IpPrefix.parse(value);
            }
        });
        ObjectMapper mapper = JsonMapper.builder()
                .addModule(new Jdk8Module())
                .addModule(prefixes)
                .addMixIn(Match.class, TypedBySimpleName.class)
                .addMixIn(Verdict.class, TypedBySimpleName.class)
                .build();
        for (Class<?> sealed : new Class<?>[] {Match.class, Verdict.class}) {
            mapper.registerSubtypes(Arrays.stream(sealed.getPermittedSubclasses())
                    .map(c -> new NamedType(c, c.getSimpleName())).toArray(NamedType[]::new));
        }
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
        return mapper;
    }
}
