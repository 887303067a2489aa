package com.incidenthub.incident;

/** How long each MongoDB operation took, for whoever exports it: the repository knows no metrics library. */
@FunctionalInterface
public interface StoreMetrics {
  /** Records nothing: for a repository run without metrics. */
  StoreMetrics NONE = (operation, nanos) -> { };

  /** {@code operation} finished, successfully or not, {@code nanos} after it was sent. */
  void completed(StoreOperation operation, long nanos);
}
