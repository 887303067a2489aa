package com.incidenthub.http;

/** Every error the API can answer with, and its HTTP status. */
public enum ErrorCode {
  VALIDATION_FAILED(400),
  MALFORMED_JSON(400),
  MALFORMED_REQUEST(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  FORBIDDEN_ORIGIN(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  REQUEST_TIMEOUT(408),
  VERSION_CONFLICT(412),
  PAYLOAD_TOO_LARGE(413),
  URI_TOO_LONG(414),
  UNSUPPORTED_MEDIA_TYPE(415),
  RANGE_NOT_SATISFIABLE(416),
  EXPECTATION_FAILED(417),
  UPGRADE_REQUIRED(426),
  RATE_LIMITED(429),
  HEADERS_TOO_LARGE(431),
  INTERNAL(500),
  DATABASE_UNAVAILABLE(503);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }
}
