package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.testkit.QueryContract;
import org.junit.jupiter.api.Tag;

/** The query contract against moto's DynamoDB, one table per test. */
@Tag("emulator")
class DynamoDbQueryMotoTest extends QueryContract {

    private DynamoDbCatalog catalog;

    @Override
    protected Catalog catalog() {
        if (catalog == null) catalog = MotoCatalogs.fresh("query");
        return catalog;
    }

    /**
     * Moto answers each request in milliseconds, and copies the whole table once per action of a transaction (a node
     * write carries its search index items, a dozen here): fewer children and rounds.
     */
    @Override
    protected int children() { return 120; }

    @Override
    protected int rounds() { return 60; }
}
