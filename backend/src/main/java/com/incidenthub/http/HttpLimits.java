package com.incidenthub.http;

/** The sizes the HTTP server accepts; larger requests are refused with the status named on each. */
public final class HttpLimits {
  /** Request line ({@code GET /incidents?... HTTP/1.1}) above this: 414. */
  public static final int MAX_REQUEST_LINE_BYTES = 4096;
  /** All header lines together above this: 431. */
  public static final int MAX_HEADER_BYTES = 8192;

  private HttpLimits() {}
}
