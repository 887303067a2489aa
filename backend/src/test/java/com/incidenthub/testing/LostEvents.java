package com.incidenthub.testing;

import com.incidenthub.realtime.IncidentEvents;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the event bus lose the changes the hubs publish, while the service stores them as always: what a node that
 * dies between MongoDB's acknowledgement and its publish, or a cluster link that resets, does to the hubs. Interceptors
 * on the nodes' own buses; closing it removes them.
 */
public final class LostEvents implements AutoCloseable {
  private static final String PUBLISHED_BY = "test-published-by";

  private final List<Runnable> removals = new ArrayList<>();
  private final List<Lost> lost = new ArrayList<>();
  private EventBus lostOn;
  private volatile boolean losing = true;

  private LostEvents() {}

  /** Every change (and skip notice) published through {@code node} is lost, for every hub, its own included. */
  public static LostEvents publishedBy(RunningHub node) {
    LostEvents events = new LostEvents();
    events.lostOn = node.nodeBus();
    events.intercept(node.nodeBus(), true, context -> {
      if (events.losing && isChange(context)) {
        events.keep(context);
      } else {
        context.next();
      }
    });
    return events;
  }

  /**
   * Every change that crosses between the two clustered nodes is lost on arrival, both ways; each node's own hubs still
   * hear of the changes made through it.
   */
  public static LostEvents between(RunningHub a, RunningHub b) {
    LostEvents events = new LostEvents();
    events.loseFromTheOther(a, "a");
    events.loseFromTheOther(b, "b");
    return events;
  }

  /** The bus brings what it lost after all, late: the same messages, published again through the node. */
  public void deliverLate() {
    losing = false;
    List<Lost> late;
    synchronized (lost) {
      late = List.copyOf(lost);
      lost.clear();
    }
    late.forEach(message -> lostOn.publish(IncidentEvents.ADDRESS, message.body(),
        new DeliveryOptions().setHeaders(message.headers())));
  }

  private void loseFromTheOther(RunningHub node, String name) {
    intercept(node.nodeBus(), true, context -> {
      if (isChange(context)) {
        context.message().headers().set(PUBLISHED_BY, name);
      }
      context.next();
    });
    intercept(node.nodeBus(), false, context -> {
      if (losing && isChange(context) && !name.equals(context.message().headers().get(PUBLISHED_BY))) {
        return;
      }
      context.next();
    });
  }

  private void intercept(EventBus bus, boolean outbound, Handler<DeliveryContext<Object>> interceptor) {
    if (outbound) {
      bus.addOutboundInterceptor(interceptor);
      removals.add(() -> bus.removeOutboundInterceptor(interceptor));
    } else {
      bus.addInboundInterceptor(interceptor);
      removals.add(() -> bus.removeInboundInterceptor(interceptor));
    }
  }

  private void keep(DeliveryContext<Object> context) {
    synchronized (lost) {
      lost.add(new Lost((String) context.body(), MultiMap.caseInsensitiveMultiMap()
          .addAll(context.message().headers())));
    }
  }

  private static boolean isChange(DeliveryContext<Object> context) {
    return IncidentEvents.ADDRESS.equals(context.message().address());
  }

  @Override
  public void close() {
    losing = false;
    removals.forEach(Runnable::run);
  }

  private record Lost(String body, MultiMap headers) {}
}
