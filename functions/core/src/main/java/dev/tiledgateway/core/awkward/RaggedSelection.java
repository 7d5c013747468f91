package dev.tiledgateway.core.awkward;

import com.fasterxml.jackson.databind.JsonNode;

/** What a ragged read selected: rows of the array, or one element ({@code single} non-null) for an index. */
public record RaggedSelection(AwkwardArray rows, JsonNode single) {}
