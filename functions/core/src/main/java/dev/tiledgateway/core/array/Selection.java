package dev.tiledgateway.core.array;

import java.util.ArrayList;
import java.util.List;

/**
 * A selection resolved against a shape: per dimension the first element, the step and the count.
 * Dimensions selected by an integer index are {@code dropped} from the result's shape.
 */
public record Selection(Dim[] dims) {

    /** One resolved dimension; element k of the result is source element {@code start + k * step}. */
    public record Dim(long start, long step, long count, boolean dropped) {
        public long at(long k) { return start + k * step; }
    }

    /** The selection of everything in {@code shape}. */
    public static Selection all(long[] shape) {
        Dim[] d = new Dim[shape.length];
        for (int i = 0; i < shape.length; i++) d[i] = new Dim(0, 1, shape[i], false);
        return new Selection(d);
    }

    /** Shape of the result: counts of the dimensions that are not dropped. */
    public long[] resultShape() {
        List<Long> s = new ArrayList<>();
        for (Dim d : dims) if (!d.dropped()) s.add(d.count());
        long[] r = new long[s.size()];
        for (int i = 0; i < r.length; i++) r[i] = s.get(i);
        return r;
    }

    /** Number of selected elements. */
    public long count() {
        long n = 1;
        for (Dim d : dims) n = Math.multiplyExact(n, d.count());
        return n;
    }

    /** This selection, expressed inside the box [origin, origin + extent) of a larger array. */
    public Selection offsetBy(long[] origin) {
        Dim[] out = new Dim[dims.length];
        for (int i = 0; i < dims.length; i++) {
            Dim d = dims[i];
            out[i] = new Dim(d.start() + origin[i], d.step(), d.count(), d.dropped());
        }
        return new Selection(out);
    }
}
