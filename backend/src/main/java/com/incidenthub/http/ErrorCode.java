package com.incidenthub.http;

/** Every error the API can answer with, and its HTTP status. */
public enum ErrorCode {
  VALIDATION_FAILED(400),
  MALFORMED_JSON(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  FORBIDDEN_ORIGIN(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  VERSION_CONFLICT(412),
  PAYLOAD_TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  RATE_LIMITED(429),
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
