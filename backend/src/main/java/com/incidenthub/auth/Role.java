package com.incidenthub.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a token may do; each role has the rights of the ones before it. */
public enum Role {
  /** Reads incidents and channels, and subscribes to the live feed. */
  VIEWER,
  /** Also creates incidents. */
  REPORTER,
  /** Also changes an incident's status, and every later write on an incident. */
  OPERATOR,
  /** Also the operational endpoints. */
  ADMIN;

  /** The roles as they are written in AUTH_TOKENS, in order: "viewer, reporter, operator, admin". */
  public static final String NAMES = Arrays.stream(values()).map(Role::label).collect(Collectors.joining(", "));

  public static Optional<Role> parse(String label) {
    return Arrays.stream(values()).filter(role -> role.label().equals(label)).findFirst();
  }

  public boolean includes(Role needed) {
    return compareTo(needed) >= 0;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
