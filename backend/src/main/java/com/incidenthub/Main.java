package com.incidenthub;

import com.incidenthub.store.EmbeddedMongo;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the service from environment variables; without MONGO_URI it brings its own development store. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    // A thread that dies of an exception would print its stack trace to stderr, past the log format; log it instead.
    Thread.setDefaultUncaughtExceptionHandler((thread, failure) ->
        LOG.error("Uncaught exception in thread {}", thread.getName(), failure));
    Config config;
    try {
      config = Config.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      LOG.error("Invalid configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    LOG.info("Starting Incident Hub with {}", config.describe());
    if (config.authTokens().isEmpty()) {
      LOG.warn("AUTH_TOKENS and AUTH_TOKENS_FILE are not set: OPEN MODE, anyone who can reach the hub may read, "
          + "create and change incidents; configure tokens before the hub is reachable from a shared network");
    }
    EmbeddedMongo embedded = null;
    if (config.mongoUri().isEmpty()) {
      embedded = EmbeddedMongo.start(config.dataDir());
      LOG.warn("MONGO_URI is not set: using the EMBEDDED DEVELOPMENT STORE at {} (DATA_DIR={}); set MONGO_URI for MongoDB",
          embedded.connectionString(), config.dataDir());
      config = config.withMongoUri(embedded.connectionString());
      config.retention().ifPresent(days -> LOG.warn("RETENTION_DAYS={} is set, but the embedded store ignores TTL "
          + "indexes: it deletes nothing; MongoDB does", days.toDays()));
    }
    Vertx vertx = Vertx.vertx();
    EmbeddedMongo store = embedded;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Shutdown did not finish cleanly: {}", e.getMessage());
      }
      if (store != null) {
        store.stop();
      }
    }, "shutdown"));
    try {
      vertx.deployVerticle(new HubVerticle(config)).await();
    } catch (Exception e) {
      LOG.error("Start-up failed: {}", e.getMessage(), e);
      System.exit(1);
    }
  }
}
