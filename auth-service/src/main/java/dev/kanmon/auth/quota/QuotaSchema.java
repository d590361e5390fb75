package dev.kanmon.auth.quota;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.flywaydb.core.Flyway;

/**
 * Migrates the {@code quota} schema with its own Flyway history table, so that its migrations are numbered
 * independently of the credential schema's.
 */
@Singleton
final class QuotaSchema {

    void migrate(@Observes StartupEvent event, AgroalDataSource dataSource, QuotaConfig config) {
        if (!config.migrateAtStart()) {
            return;
        }
        Flyway.configure()
                .dataSource(dataSource)
                .schemas("quota")
                .createSchemas(true)
                .table("flyway_quota_history")
                .locations("classpath:db/quota")
                .load()
                .migrate();
    }
}
