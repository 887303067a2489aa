package com.incidenthub.loadtest;

import picocli.CommandLine.Option;

/** How the socket scenarios (fanout, idle) open their sockets. */
final class SocketOptions {

  @Option(names = "--connect-batch", order = 50, paramLabel = "B", defaultValue = "200",
      description = "handshakes in flight while opening (default: ${DEFAULT-VALUE})")
  int connectBatch;

  @Option(names = "--ws-compression", order = 51,
      description = "offer permessage-deflate on the sockets, as browsers do")
  boolean wsCompression;

  int connectBatch() {
    return UsageException.requireWithin("--connect-batch", connectBatch, 1, 5_000);
  }
}
