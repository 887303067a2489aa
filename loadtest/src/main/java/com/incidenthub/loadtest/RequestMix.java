package com.incidenthub.loadtest;

import java.util.EnumMap;
import java.util.Map;

/** The weighted choice of request types for {@code rest}, parsed from e.g. {@code create=8,list=1,patch=1}. */
final class RequestMix {

  enum Op {
    CREATE, LIST, PATCH;

    String label() {
      return name().toLowerCase();
    }
  }

  private final Map<Op, Integer> weights;
  private final Op[] wheel;

  private RequestMix(Map<Op, Integer> weights) {
    this.weights = weights;
    int total = weights.values().stream().mapToInt(Integer::intValue).sum();
    this.wheel = new Op[total];
    int i = 0;
    for (Map.Entry<Op, Integer> entry : weights.entrySet()) {
      for (int w = 0; w < entry.getValue(); w++) {
        wheel[i++] = entry.getKey();
      }
    }
  }

  static RequestMix parse(String spec) {
    Map<Op, Integer> weights = new EnumMap<>(Op.class);
    for (String part : spec.split(",")) {
      String[] kv = part.trim().split("=", 2);
      Op op;
      try {
        op = Op.valueOf(kv[0].trim().toUpperCase());
      } catch (IllegalArgumentException e) {
        throw new UsageException("--mix: unknown request type '" + kv[0] + "' (create, list, patch)");
      }
      int weight;
      try {
        weight = kv.length == 2 ? Integer.parseInt(kv[1].trim()) : 1;
      } catch (NumberFormatException e) {
        throw new UsageException("--mix: weight of " + op.label() + " must be a whole number");
      }
      if (weight < 0 || weight > 100) {
        throw new UsageException("--mix: weights must be between 0 and 100");
      }
      if (weight > 0) {
        weights.put(op, weight);
      }
    }
    if (weights.isEmpty()) {
      throw new UsageException("--mix needs at least one request type with a positive weight");
    }
    return new RequestMix(weights);
  }

  /**
   * The n-th request of a worker. A deterministic wheel rather than a random draw: short runs then have
   * exactly the configured proportions.
   */
  Op pick(long n) {
    return wheel[(int) (n % wheel.length)];
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    weights.forEach((op, w) -> out.append(out.length() == 0 ? "" : ",").append(op.label()).append('=').append(w));
    return out.toString();
  }
}
