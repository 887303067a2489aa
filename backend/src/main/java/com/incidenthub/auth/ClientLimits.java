package com.incidenthub.auth;

/**
 * The limits a node keeps per client: the write buckets and the open-socket counts. Every verticle instance of a node
 * must share one, or each instance would grant the whole allowance again.
 */
public record ClientLimits(WriteLimit writes, SocketCap sockets) {
  public static ClientLimits of(int writesPerSecond, int writeBurst, int maxSocketsPerClient) {
    return new ClientLimits(new WriteLimit(writesPerSecond, writeBurst, System::nanoTime),
        new SocketCap(maxSocketsPerClient));
  }
}
