package dev.tiledgateway.core.container;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Where each element of an xarray dataset lands in its table, as xarray's {@code Dataset.to_dataframe()} lays it out:
 * one row per point of the product of the dataset's dimensions (in order, the last varying fastest), one column per
 * variable that is not an index coordinate (a variable named like a dimension), broadcast over the dimensions it lacks,
 * and one index level per dimension, holding its index coordinate's values or, without one, 0..n-1. Pure shape
 * arithmetic: the route uses it to refuse a table before reading anything, the table writer to place values.
 *
 * <p>One departure from xarray, for the Tiled client: when every variable is at most 1-d and the 1-d ones all have
 * the same length, on several dimensions, the rows are aligned (row i holds element i of each) instead of running over
 * the product. That is the request the client's wide-table read makes (for a dataset whose variables all share their
 * first length it fetches the 1-d ones, e.g. coordinates x and y of a square grid, as one table and takes each column
 * as that variable's values); the product would give it n² values for an n-long variable, which xarray then refuses.
 *
 * <p>A variable that names no dimensions is 0-d, or 1-d along the dataset's only dimension; when the dataset names no
 * dimension at all, that one is unnamed and has no index level (a plain list of columns, as a sparse selection's
 * table). Shapes that cannot form one table are an {@link IllegalArgumentException} whose message says why.
 */
public final class DatasetLayout {

    /** A variable's name, dimension names ({@code null}: unnamed, see above) and shape. */
    public record Shape(String name, List<String> dims, long[] shape) {}

    private final List<String> dims;
    private final long[] sizes;
    private final long rows;
    private final Set<String> indexCoordinates;
    private final List<String> columns;
    /** Per variable: for each dataset dimension, the step in its C-order elements (0 where it lacks the dimension). */
    private final Map<String, long[]> steps;
    /** Rows aligned rather than the product (see the class comment). */
    private final boolean aligned;

    private DatasetLayout(List<String> dims, long[] sizes, long rows, Set<String> indexCoordinates, List<String> columns,
                          Map<String, long[]> steps, boolean aligned) {
        this.aligned = aligned;
        this.dims = dims;
        this.sizes = sizes;
        this.rows = rows;
        this.indexCoordinates = indexCoordinates;
        this.columns = columns;
        this.steps = steps;
    }

    /**
     * @param variables the dataset's variables in its order (xarray's: data variables, then coordinates)
     * @param dims      dimensions to put first, in this order; the others follow in order of first appearance among
     *                  the variables, as xarray orders a dataset's dimensions
     */
    public static DatasetLayout of(List<Shape> variables, List<String> dims) {
        List<String> order = new ArrayList<>();
        for (String d : dims) {
            if (d == null || d.isEmpty()) throw new IllegalArgumentException("a dimension name is empty");
            if (order.contains(d)) throw new IllegalArgumentException("dimension " + d + " is named twice");
            order.add(d);
        }
        Set<String> names = new HashSet<>();
        boolean unnamed = false;
        for (Shape v : variables) {
            if (!names.add(v.name())) throw new IllegalArgumentException("two variables are named " + v.name());
            if (v.dims() == null) {
                if (v.shape().length > 1)
                    throw new IllegalArgumentException("Variable " + v.name() + " has " + v.shape().length + " dimensions but names none");
                if (v.shape().length == 1 && dims.isEmpty()) unnamed = true;
                continue;
            }
            if (v.dims().size() != v.shape().length)
                throw new IllegalArgumentException("Variable " + v.name() + " has " + v.shape().length + " dimensions but names "
                        + v.dims().size() + " " + v.dims());
            if (new HashSet<>(v.dims()).size() != v.dims().size())
                throw new IllegalArgumentException("Variable " + v.name() + " names a dimension twice: " + v.dims());
            for (String d : v.dims()) {
                if (d == null || d.isEmpty()) throw new IllegalArgumentException("Variable " + v.name() + " has a dimension without a name");
                if (!order.contains(d)) order.add(d);
            }
        }
        if (unnamed && !order.isEmpty())
            throw new IllegalArgumentException("1-d variables that name no dimension cannot be placed among the dimensions " + order);
        if (unnamed) order.add(null);
        if (order.size() > 1) {
            for (Shape v : variables)
                if (v.dims() == null && v.shape().length == 1)
                    throw new IllegalArgumentException("Variable " + v.name() + " names no dimension, and the dataset has " + order.size());
        }

        long[] sizes = new long[order.size()];
        Arrays.fill(sizes, -1);
        for (Shape v : variables) {
            List<String> vd = dimsOf(v, order);
            for (int k = 0; k < vd.size(); k++) {
                int d = order.indexOf(vd.get(k));
                long n = v.shape()[k];
                if (n < 0) throw new IllegalArgumentException("Variable " + v.name() + " has a negative length");
                if (sizes[d] >= 0 && sizes[d] != n)
                    throw new IllegalArgumentException("Variables disagree on the length of dimension " + label(vd.get(k)) + ": "
                            + sizes[d] + " and " + n + " (" + v.name() + ")");
                sizes[d] = n;
            }
        }
        for (int d = 0; d < sizes.length; d++) if (sizes[d] < 0) sizes[d] = 0; // named but held by no variable: no points along it
        boolean aligned = sizes.length > 1 && Arrays.stream(sizes).allMatch(n -> n == sizes[0])
                && variables.stream().allMatch(v -> v.shape().length <= 1);
        long rows = aligned ? sizes[0] : 1;
        for (int d = 0; d < sizes.length && !aligned; d++) {
            try {
                rows = Math.multiplyExact(rows, sizes[d]);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("The dimensions " + order + " have too many points for one table");
            }
        }

        Set<String> index = new HashSet<>();
        List<String> columns = new ArrayList<>();
        Map<String, long[]> steps = new LinkedHashMap<>();
        for (Shape v : variables) {
            List<String> vd = dimsOf(v, order);
            if (order.contains(v.name())) {
                if (!vd.equals(List.of(v.name())))
                    throw new IllegalArgumentException("Variable " + v.name() + " is named like a dimension, so it must be 1-d along it,"
                            + " but its dimensions are " + vd);
                index.add(v.name());
            } else {
                columns.add(v.name());
            }
            long[] step = new long[order.size()];
            long stride = 1;
            for (int k = vd.size() - 1; k >= 0; k--) {
                step[order.indexOf(vd.get(k))] = stride;
                stride *= v.shape()[k];
            }
            steps.put(v.name(), step);
        }
        return new DatasetLayout(java.util.Collections.unmodifiableList(order), sizes, rows, Set.copyOf(index), List.copyOf(columns), steps,
                aligned);
    }

    private static List<String> dimsOf(Shape v, List<String> order) {
        if (v.dims() != null) return v.dims();
        if (v.shape().length == 0) return List.of();
        return java.util.Collections.singletonList(order.get(0)); // the dataset's only dimension (possibly unnamed)
    }

    private static String label(String dim) { return dim == null ? "(unnamed)" : dim; }

    /** The dimensions, in the order rows run over them; {@code null} stands for the unnamed one. */
    public List<String> dims() { return dims; }

    /** The named dimensions: the table's index levels, in order. */
    public List<String> indexLevels() {
        List<String> out = new ArrayList<>();
        for (String d : dims) if (d != null) out.add(d);
        return out;
    }

    /** How many points dimension {@code dim} has. */
    public long size(String dim) {
        int d = dims.indexOf(dim);
        if (d < 0) throw new IllegalArgumentException("no dimension " + dim);
        return sizes[d];
    }

    /** The table's rows: the product of the dimensions' lengths (one row when there are none; their length when aligned). */
    public long rows() { return rows; }

    /** The variables that become columns, in the dataset's order (index coordinates excluded). */
    public List<String> columns() { return columns; }

    /** Whether {@code name} is an index coordinate: a variable named like a dimension, whose values index it. */
    public boolean isIndexCoordinate(String name) { return indexCoordinates.contains(name); }

    /** For each row, the C-order element of variable {@code name} that it holds (rows and elements fit an int). */
    public IntUnaryOperator elementOfRow(String name) {
        long[] step = steps.get(name);
        if (step == null) throw new IllegalArgumentException("no variable " + name);
        return rowToElement(step);
    }

    /** For each row, its position along dimension {@code dim}: the values of an index level without a coordinate. */
    public IntUnaryOperator positionOfRow(String dim) {
        int d = dims.indexOf(dim);
        if (d < 0) throw new IllegalArgumentException("no dimension " + dim);
        long[] step = new long[dims.size()];
        step[d] = 1;
        return rowToElement(step);
    }

    private IntUnaryOperator rowToElement(long[] step) {
        if (aligned) return Arrays.stream(step).allMatch(x -> x == 0) ? row -> 0 : IntUnaryOperator.identity();
        int last = step.length - 1;
        boolean identity = true;
        long stride = 1;
        for (int d = last; d >= 0; d--) {
            if (step[d] != stride) identity = false;
            stride *= sizes[d];
        }
        if (identity) return IntUnaryOperator.identity();
        boolean none = Arrays.stream(step).allMatch(s -> s == 0);
        if (none) return row -> 0;
        long[] sz = sizes;
        return row -> {
            long r = row, e = 0;
            for (int d = last; d >= 0; d--) {
                long n = sz[d];
                e += (r % n) * step[d];
                r /= n;
            }
            return (int) e;
        };
    }
}
