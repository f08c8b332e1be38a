package org.vnetd.core.ovsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.RpcCodec;

import com.fasterxml.jackson.databind.JsonNode;

class OvsdbJsonTest {

    @Test
    void encodesOperationsAsRfc7047Writes() {
        OvsdbTransaction t = new OvsdbTransaction("OVN_Northbound", List.of(
                OvsdbOp.insert("Logical_Switch", Map.of("name", OvsdbValue.of("ls")), "ls"),
                new OvsdbOp.Mutate("Logical_Switch", List.of(Condition.eq("_uuid", OvsdbValue.named("ls"))),
                        List.of(Mutation.insert("other_config", OvsdbValue.stringMap(Map.of("subnet", "10.0.0.0/24"))))),
                new OvsdbOp.Delete("Logical_Switch_Port", List.of(Condition.includes("external_ids",
                        OvsdbValue.stringMap(Map.of("vnetd-host", "h1")))))));
        assertEquals("[\"OVN_Northbound\","
                + "{\"op\":\"insert\",\"table\":\"Logical_Switch\",\"row\":{\"name\":\"ls\"},\"uuid-name\":\"ls\"},"
                + "{\"op\":\"mutate\",\"table\":\"Logical_Switch\",\"where\":[[\"_uuid\",\"==\",[\"named-uuid\",\"ls\"]]],"
                + "\"mutations\":[[\"other_config\",\"insert\",[\"map\",[[\"subnet\",\"10.0.0.0/24\"]]]]]},"
                + "{\"op\":\"delete\",\"table\":\"Logical_Switch_Port\",\"where\":[[\"external_ids\",\"includes\",[\"map\",[[\"vnetd-host\",\"h1\"]]]]]}]",
                OvsdbJson.params(t).toString());
    }

    @Test
    void decodesWhatItEncodes() {
        OvsdbValue v = OvsdbValue.setOf(List.of(OvsdbValue.of("a"), OvsdbValue.of(3), OvsdbValue.of(true), OvsdbValue.uuid("u1"),
                OvsdbValue.stringMap(Map.of("k", "v"))));
        assertEquals(v, OvsdbJson.decode(OvsdbJson.encode(v)));
    }

    @Test
    void anErrorInAnyResultIsTheWholeTransactionsFailure() throws Exception {
        OvsdbTransaction t = new OvsdbTransaction("OVN_Northbound", List.of(
                OvsdbOp.insert("Logical_Switch", Map.of("name", OvsdbValue.of("ls")))));
        JsonNode commitFailed = RpcCodec.MAPPER.readTree(
                "[{\"uuid\":[\"uuid\",\"8a3c…\"]},{\"error\":\"constraint violation\",\"details\":\"duplicate name\"}]");
        VnetException e = assertThrows(VnetException.class, () -> OvsdbJson.checkResult(t, commitFailed));
        assertEquals(ErrorCode.OVN, e.code());
        assertTrue(e.getMessage().contains("the commit failed: constraint violation (duplicate name)"), e.getMessage());
    }
}
