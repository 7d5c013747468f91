package dev.tiledgateway.formats.dataset;

import dev.tiledgateway.formats.table.TablePayload;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Schema;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Builds {@link TablePayload}s from vectors made here. The table package keeps its factory
 * ({@code TablePayload.of(schema, indexColumns, vectors, dictionaries, rowCount, allocator)}) package-private and offers
 * no public one, so it is called reflectively; should it become public, the call here can become a direct one.
 */
final class TablePayloads {

    private static final BufferAllocator ROOT = new RootAllocator();

    private TablePayloads() {}

    /** A fresh allocator for one payload; the payload closes it. */
    static BufferAllocator newAllocator() {
        return ROOT.newChildAllocator("wide-table", 0, Long.MAX_VALUE);
    }

    /**
     * Hands {@code vectors} (in {@code schema}'s field order, no dictionaries) and {@code allocator} to a new payload,
     * which then owns them. {@code schema}'s custom metadata (pandas) is what the Arrow file carries.
     */
    static TablePayload of(Schema schema, List<String> indexColumns, List<FieldVector> vectors, int rowCount, BufferAllocator allocator) {
        try {
            return (TablePayload) Factory.OF.invoke(null, schema, indexColumns, vectors, List.of(), rowCount, allocator);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("TablePayload.of is not accessible", e);
        }
    }

    /** Looked up on first use, so a changed table package fails the first request with a clear message. */
    private static final class Factory {
        static final Method OF = lookup();

        private static Method lookup() {
            try {
                Method m = TablePayload.class.getDeclaredMethod("of", Schema.class, List.class, List.class, List.class, int.class,
                        BufferAllocator.class);
                m.setAccessible(true);
                return m;
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("TablePayload has no factory of(Schema, List, List, List, int, BufferAllocator)", e);
            }
        }
    }
}
