package dev.tiledgateway.core.observe;

import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.ForwardingBlobStore;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The counting wrappers forward every method of their port: a method left to the interface's default would run the
 * default (a catalog's search as a scan of every child, say) instead of the wrapped adapter's own, silently.
 */
class CountingPortsTest {

    private static List<String> notOverridden(Class<?> port, Class<?> wrapper, Set<Class<?>> forwarders, Set<String> allowed) throws Exception {
        List<String> missing = new ArrayList<>();
        for (Method m : port.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || allowed.contains(m.getName())) continue;
            Class<?> declaring = wrapper.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass();
            if (!forwarders.contains(declaring)) missing.add(m.getName());
        }
        return missing;
    }

    @Test
    void theCountingCatalogForwardsEveryMethod() throws Exception {
        assertEquals(List.of(), notOverridden(Catalog.class, CountingCatalog.class, Set.of(CountingCatalog.class), Set.of()));
    }

    @Test
    void theCountingStoreForwardsEveryMethodButTheStreamedWrite() throws Exception {
        // write(key, content) is the port's own composition of openWrite, which is counted.
        assertEquals(List.of(), notOverridden(BlobStore.class, CountingBlobStore.class, Set.of(CountingBlobStore.class, ForwardingBlobStore.class),
                Set.of("write")));
    }
}
