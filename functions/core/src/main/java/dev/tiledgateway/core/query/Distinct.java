package dev.tiledgateway.core.query;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /distinct}: for each requested metadata key, structure families and specs, the
 * distinct values among the matching direct children (JSON nulls and missing values skipped) with how many
 * children have each ({@code count} null when counts were not asked for). A list is null when not requested.
 */
public record Distinct(Map<String, List<Value>> metadata, List<Value> structureFamilies, List<Value> specs) {

    /** One distinct value: metadata values as stored, families as their wire name, specs as the list of {@code {name, version}}. */
    public record Value(JsonNode value, Long count) {}

    /** What to compute. */
    public record Request(List<String> metadataKeys, boolean structureFamilies, boolean specs, boolean counts) {
        public Request {
            metadataKeys = List.copyOf(metadataKeys);
        }
    }
}
