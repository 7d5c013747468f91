package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.core.catalog.*;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import org.junit.jupiter.api.Test;
import java.util.*;
import java.util.concurrent.*;

class TmpDiagTest {
    @Test
    void diag() throws Exception {
        DynamoDbCatalog c = MotoCatalogs.fresh("diag");
        NodePath base = NodePath.of("b");
        c.put(Node.container(base, Json.object(), List.of()));
        MotoCatalogs.COUNTER.reset();
        long t0 = System.nanoTime();
        for (int i = 0; i < 50; i++) c.put(new Node(base.child("s" + i), StructureFamily.ARRAY, Json.object(), List.of(), null, null, null, 0));
        System.out.println("sequential 50 inserts: " + (System.nanoTime() - t0) / 1e6 + " ms " + MotoCatalogs.COUNTER);
        MotoCatalogs.COUNTER.reset();
        t0 = System.nanoTime();
        for (int i = 0; i < 50; i++) c.put(new Node(base.child("s" + i), StructureFamily.ARRAY, Json.object(), List.of(), null, null, null, 0));
        System.out.println("sequential 50 replaces: " + (System.nanoTime() - t0) / 1e6 + " ms " + MotoCatalogs.COUNTER);
        for (int threads : new int[] {1, 2, 4, 8}) {
            MotoCatalogs.COUNTER.reset();
            t0 = System.nanoTime();
            ExecutorService p2 = Executors.newFixedThreadPool(threads);
            List<Future<?>> g = new ArrayList<>();
            for (int i = 0; i < 200; i++) { int j = i % 50; g.add(p2.submit(() -> c.get(base.child("s" + j)))); }
            for (Future<?> f : g) f.get();
            p2.shutdown();
            System.out.println("concurrent 200 gets on " + threads + " threads: " + (System.nanoTime() - t0) / 1e6 + " ms " + MotoCatalogs.COUNTER);
        }
        MotoCatalogs.COUNTER.reset();
        t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String k = "n" + i;
            fs.add(pool.submit(() -> c.put(new Node(base.child(k), StructureFamily.ARRAY, Json.object(), List.of(), null, null, null, 0))));
            fs.add(pool.submit(() -> c.put(new Node(base.child(k), StructureFamily.ARRAY, Json.object(), List.of(), null, null, null, 0))));
        }
        for (Future<?> f : fs) f.get();
        pool.shutdown();
        System.out.println("concurrent 200 puts: " + (System.nanoTime() - t0) / 1e6 + " ms " + MotoCatalogs.COUNTER);
    }
}
