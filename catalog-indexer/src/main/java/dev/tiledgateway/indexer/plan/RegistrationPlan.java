package dev.tiledgateway.indexer.plan;

import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.indexer.event.ObjectEvent;

import java.util.List;

/**
 * What one object event means for the catalog, decided from the store as it is now: steps to apply
 * idempotently under the event's {@code source} (store key) and sequencer.
 *
 * @param path    the node the plan is about (null when the event names none)
 * @param recheck the node is read from several objects (Zarr v2 metadata and attributes, table parts),
 *                whose events are not ordered with each other: after applying, the indexer reads the
 *                store again and re-applies if it changed meanwhile
 */
public record RegistrationPlan(ObjectEvent event, String source, NodePath path, List<Step> steps, boolean recheck) {

    public RegistrationPlan {
        steps = List.copyOf(steps);
    }

    static RegistrationPlan skip(ObjectEvent event, String source, NodePath path, String reason, boolean unreadable, boolean routine) {
        return new RegistrationPlan(event, source, path, List.of(new Step.Skip(reason, unreadable, routine)), false);
    }

    /** The step that decides the outcome: the put, the removal or the skip. */
    public Step decisive() {
        for (Step s : steps) if (s instanceof Step.Put || s instanceof Step.Remove || s instanceof Step.Skip || s instanceof Step.Refresh) return s;
        throw new IllegalStateException("a plan without a decisive step");
    }

    /** Whether {@code other} (a later reading of the store for the same event) asks for the same end state. */
    public boolean sameIntent(RegistrationPlan other) {
        Step a = decisive();
        Step b = other.decisive();
        if (a instanceof Step.Put p && b instanceof Step.Put q) return p.origin().equals(q.origin()) && p.node().sameContent(q.node());
        if (a instanceof Step.Remove p && b instanceof Step.Remove q) return p.equals(q);
        if (a instanceof Step.Skip p && b instanceof Step.Skip q) return p.equals(q);
        return false;
    }
}
