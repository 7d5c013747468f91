package dev.tiledgateway.core.query;

import java.util.List;
import java.util.Map;

/**
 * A kind of query: its name and how its parameters parse. Built-in types are listed by
 * {@link QueryRegistry#defaults()}; more are found with {@link java.util.ServiceLoader}, so adding one needs no
 * change to the routes.
 */
public interface QueryType {

    /** The name in {@code filter[<name>][condition][<field>]}. */
    String name();

    /**
     * The queries of this type in one request. {@code fields} maps each field name to its values in the order
     * they appeared; when a query type is applied several times each field repeats and the i-th values of the
     * fields make the i-th query (pairing by position).
     *
     * @throws dev.tiledgateway.core.error.TiledException 400 for a malformed value or a missing field, 422 for
     *         an enumerated or boolean field out of its range
     */
    List<Query> parse(Map<String, List<String>> fields);
}
