package com.incidenthub.http;

import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * The data a request carries on its Vert.x context. A context local must exist before the first Vert.x instance,
 * so Vert.x loads this class as a service provider (META-INF/services) and the field is registered in time.
 */
public final class RequestLocals implements VertxServiceProvider {
  static final ContextLocal<String> REQUEST_ID = ContextLocal.registerLocal(String.class);

  @Override
  public void init(VertxBootstrap builder) {
    // Nothing to configure: loading the class registered the locals.
  }
}
