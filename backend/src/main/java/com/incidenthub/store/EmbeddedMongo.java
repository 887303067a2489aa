package com.incidenthub.store;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A MongoDB-wire-compatible server inside this JVM, for development without Docker and for tests.
 * The service talks to it over a loopback socket through the same driver it uses for MongoDB.
 */
public final class EmbeddedMongo {
  /** Value of {@code DATA_DIR} that keeps the store in memory only. */
  public static final String IN_MEMORY = "memory";

  private final Supplier<MongoBackend> backends;
  private MongoServer server;
  private InetSocketAddress address;

  private EmbeddedMongo(Supplier<MongoBackend> backends) {
    this.backends = backends;
  }

  /** An in-memory store on a free loopback port. */
  public static EmbeddedMongo start() {
    return start(IN_MEMORY);
  }

  /** A store kept in {@code dataDir/incidents.mv} so data survives restarts, or in memory for {@link #IN_MEMORY}. */
  public static EmbeddedMongo start(String dataDir) {
    EmbeddedMongo mongo = new EmbeddedMongo(backendFor(dataDir));
    mongo.listen(new InetSocketAddress("127.0.0.1", 0));
    return mongo;
  }

  public String connectionString() {
    return "mongodb://127.0.0.1:" + address.getPort();
  }

  /** Drops every connection and stops listening, as a crashed database would. */
  public void stop() {
    server.shutdownNow();
  }

  /** Listens again on the same port with the backend's data kept only if it is file-backed. */
  public void restart() {
    listen(address);
  }

  private void listen(InetSocketAddress bindAddress) {
    server = new MongoServer(backends.get());
    server.bind(bindAddress);
    address = server.getLocalAddress();
  }

  private static Supplier<MongoBackend> backendFor(String dataDir) {
    if (IN_MEMORY.equals(dataDir)) {
      return MemoryBackend::new;
    }
    Path directory = Path.of(dataDir);
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create DATA_DIR " + directory.toAbsolutePath(), e);
    }
    String file = directory.resolve("incidents.mv").toString();
    return () -> new H2Backend(file);
  }
}
