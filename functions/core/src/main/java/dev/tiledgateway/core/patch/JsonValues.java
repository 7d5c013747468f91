package dev.tiledgateway.core.patch;

import com.fasterxml.jackson.databind.JsonNode;

/** JSON equality as RFC 6902's {@code test} defines it: numbers equal by value, objects regardless of member order. */
final class JsonValues {

    private JsonValues() {}

    static boolean same(JsonNode a, JsonNode b) {
        return a.equals((x, y) -> {
            if (x.isNumber() && y.isNumber()) {
                if (x.isIntegralNumber() && y.isIntegralNumber()) return x.bigIntegerValue().compareTo(y.bigIntegerValue());
                return x.decimalValue().compareTo(y.decimalValue());
            }
            return x.equals(y) ? 0 : 1;
        }, b);
    }
}
