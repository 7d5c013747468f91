package dev.tiledgateway.core.query;

import dev.tiledgateway.core.catalog.Node;

import java.util.List;

/** One page of a filtered, sorted listing of a container's children, and the exact number of matches. */
public record SearchPage(List<Node> nodes, long count) {
    public SearchPage {
        nodes = List.copyOf(nodes);
    }
}
