package dev.tiledgateway.core.query;

import dev.tiledgateway.core.catalog.Node;

/**
 * One search filter of {@code GET /search} and {@code GET /distinct}: parsed from the request's
 * {@code filter[<name>][condition][<field>]} parameters by its {@link QueryType}, evaluated on a container's
 * direct children. Filters AND together.
 *
 * <p>{@link #matches} is the reference semantics, and every catalog can answer any query with it (by
 * evaluating it over the container's children, with a bound). Catalogs translate the built-in types they can
 * index (the records in this package) into index reads; their results must equal {@link #matches}'s, which
 * the query contract suite checks on every catalog.
 */
public interface Query {

    /** The registered name, as in {@code filter[<name>]}. */
    String name();

    /** Whether a direct child of the searched container satisfies this filter. */
    boolean matches(Node child);
}
