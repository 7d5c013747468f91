package dev.tiledgateway.core.backend;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Builds a {@link Backend} from environment variables, as a Lambda function must (it has no arguments).
 * Adapter modules register one through {@link ServiceLoader}; the first that accepts the environment wins.
 */
public interface BackendFactory {

    /** Empty when this factory is not configured by {@code env}. */
    Optional<Backend> create(Map<String, String> env);

    /** Asks each registered factory in turn; fails listing the factories tried when none accepts. */
    static Backend fromEnvironment(Map<String, String> env) {
        StringBuilder tried = new StringBuilder();
        for (BackendFactory f : ServiceLoader.load(BackendFactory.class)) {
            Optional<Backend> b = f.create(env);
            if (b.isPresent()) return b.get();
            tried.append(' ').append(f.getClass().getSimpleName());
        }
        throw new IllegalStateException("No storage backend is configured by the environment; tried:" + tried);
    }
}
