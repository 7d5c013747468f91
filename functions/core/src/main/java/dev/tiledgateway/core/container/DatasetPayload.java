package dev.tiledgateway.core.container;

import dev.tiledgateway.core.array.ArrayPayload;

import java.util.ArrayList;
import java.util.List;

/**
 * Variables of an xarray dataset read for its table form (spec §3.8), laid out by {@link DatasetLayout}: the
 * variables in the dataset's order (data variables, then coordinates), each with its dimension names, and the
 * dimensions to put first ({@code dims}; the rest follow in order of first appearance). A variable named like a
 * dimension is that dimension's index coordinate.
 */
public record DatasetPayload(List<Variable> variables, List<String> dims) {

    /**
     * One named variable: its values in C order and its dimension names, or {@code null} dims for a 0-d variable or
     * a 1-d one along the dataset's only dimension.
     */
    public record Variable(String name, List<String> dims, ArrayPayload data) {

        public Variable {
            dims = dims == null ? null : List.copyOf(dims);
        }

        /** A 0-d variable, or a 1-d one along the dataset's only dimension. */
        public Variable(String name, ArrayPayload data) { this(name, null, data); }
    }

    public DatasetPayload {
        variables = List.copyOf(variables);
        dims = List.copyOf(dims);
    }

    /** Where each value lands in the table; {@link IllegalArgumentException} if the variables do not form one. */
    public DatasetLayout layout() {
        List<DatasetLayout.Shape> shapes = new ArrayList<>(variables.size());
        for (Variable v : variables) shapes.add(new DatasetLayout.Shape(v.name(), v.dims(), v.data().shape()));
        return DatasetLayout.of(shapes, dims);
    }
}
