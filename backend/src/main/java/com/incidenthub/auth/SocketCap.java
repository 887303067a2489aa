package com.incidenthub.auth;

import com.incidenthub.http.ErrorCode;
import com.incidenthub.http.HubException;
import com.incidenthub.realtime.SocketAdmission;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * MAX_SOCKETS_PER_CLIENT: how many sockets one principal may hold open at once. The next upgrade is refused with
 * 429; a socket that closes gives its place back at once. Thread-safe: every verticle instance of a node shares one.
 */
public final class SocketCap implements SocketAdmission {
  private final int maxPerPrincipal;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  public SocketCap(int maxPerPrincipal) {
    this.maxPerPrincipal = maxPerPrincipal;
  }

  @Override
  public Runnable admit(RoutingContext ctx) {
    String principal = Caller.of(ctx).principal();
    AtomicBoolean admitted = new AtomicBoolean();
    open.compute(principal, (key, count) -> {
      int current = count == null ? 0 : count;
      admitted.set(current < maxPerPrincipal);
      return admitted.get() ? current + 1 : count;
    });
    if (!admitted.get()) {
      throw new HubException(ErrorCode.RATE_LIMITED, "Too many open sockets: at most " + maxPerPrincipal
          + " per client; close one first");
    }
    return () -> open.computeIfPresent(principal, (key, count) -> count == 1 ? null : count - 1);
  }
}
