package dev.tiledgateway.core.container;

import dev.tiledgateway.core.array.ArrayPayload;

import java.util.List;

/**
 * Variables of an xarray dataset read for the "wide table" form (spec §3.8): equal-length 1-d (or 0-d)
 * arrays by name, with the names of the dataset's dimension coordinates that index them.
 */
public record DatasetPayload(List<Variable> variables, List<String> indexNames) {

    /** One named variable; {@code data} has shape [n] (or [] for a scalar). */
    public record Variable(String name, ArrayPayload data) {}

    public DatasetPayload {
        variables = List.copyOf(variables);
        indexNames = List.copyOf(indexNames);
    }
}
