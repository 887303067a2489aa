package com.incidenthub;

import com.incidenthub.store.EmbeddedMongo;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the service from environment variables; without MONGO_URI it brings its own development store. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** The graceful stop's own bound: the requests' 10 s, closing the sockets, leaving the cluster. */
  private static final int STOP_TIMEOUT_SECONDS = 30;

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
    Node node;
    try {
      node = Node.start(config).await();
    } catch (Exception e) {
      LOG.error("Start-up failed: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    EmbeddedMongo store = embedded;
    // Registered only once the node runs, so that the exits above keep their codes; SIGTERM and SIGINT end here.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      int status = 0;
      try {
        node.stop(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Shutdown did not finish cleanly: {}", e.getMessage());
        status = 1;
      }
      if (store != null) {
        store.stop();
      }
      // A JVM ended by a signal exits with 128 + the signal's number; a clean stop is a success.
      Runtime.getRuntime().halt(status);
    }, "shutdown"));
  }
}
