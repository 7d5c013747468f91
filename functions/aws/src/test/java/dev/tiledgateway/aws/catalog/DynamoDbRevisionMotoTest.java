package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.testkit.RevisionContract;
import org.junit.jupiter.api.Tag;

/** The revision contract against moto's DynamoDB (and its S3 for spilled documents), one table per test. */
@Tag("emulator")
class DynamoDbRevisionMotoTest extends RevisionContract {

    private DynamoDbCatalog catalog;

    @Override
    protected Catalog catalog() {
        if (catalog == null) catalog = MotoCatalogs.fresh("revisions");
        return catalog;
    }
}
