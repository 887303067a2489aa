package com.incidenthub.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** One scrape of {@code GET /metrics}: each sample's value by its series, {@code name{label="value",...}}. */
public final class Scrape {
  private final String text;
  private final Map<String, Double> samples = new LinkedHashMap<>();

  private Scrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int space = line.lastIndexOf(' ');
        samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
  }

  public static Scrape of(RunningHub hub) {
    HttpResponse<Buffer> response = hub.get("/metrics");
    if (response.statusCode() != 200) {
      throw new AssertionError("GET /metrics answered " + response.statusCode() + " " + response.bodyAsString());
    }
    return new Scrape(response.bodyAsString());
  }

  public String text() {
    return text;
  }

  public boolean has(String series) {
    return samples.containsKey(series);
  }

  /** Whether any series of the metric {@code name} is there, whatever its labels. */
  public boolean hasMetric(String name) {
    return samples.keySet().stream().anyMatch(series -> series.equals(name) || series.startsWith(name + "{"));
  }

  public double value(String series) {
    Double value = samples.get(series);
    if (value == null) {
      throw new AssertionError("no series " + series + " in the scrape");
    }
    return value;
  }
}
