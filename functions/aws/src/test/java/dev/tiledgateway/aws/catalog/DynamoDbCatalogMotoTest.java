package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.testkit.CatalogContract;
import org.junit.jupiter.api.Tag;

/** The Catalog contract against moto's DynamoDB (and its S3 for spilled documents), one table per test. */
@Tag("emulator")
class DynamoDbCatalogMotoTest extends CatalogContract {

    private DynamoDbCatalog catalog;

    @Override
    protected Catalog catalog() {
        if (catalog == null) catalog = MotoCatalogs.fresh("contract");
        return catalog;
    }
}
