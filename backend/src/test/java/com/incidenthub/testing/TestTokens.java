package com.incidenthub.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/** One token of each role, configured the way an operator would: the admin's as its sha256 digest. */
public final class TestTokens {
  public static final String VIEWER = "wall-6f1c2a9e47b83d05";
  public static final String REPORTER = "intake-0d93b7e25c4a1f68";
  public static final String OPERATOR = "night-3e8a5c1f9b2d7046";
  public static final String ADMIN = "root-9a4e7c2b5d1f3086";

  private TestTokens() {}

  /** AUTH_TOKENS naming them wall (viewer), intake (reporter), night (operator) and root (admin). */
  public static String authTokens() {
    return "wall:viewer:" + VIEWER + ",intake:reporter:" + REPORTER + ",night:operator:" + OPERATOR
        + ",root:admin:sha256:" + sha256(ADMIN);
  }

  /** The settings of a hub that asks for these tokens, plus {@code more}. */
  public static Map<String, String> settings(String... more) {
    Map<String, String> settings = new HashMap<>(Map.of("AUTH_TOKENS", authTokens()));
    for (int i = 0; i < more.length; i += 2) {
      settings.put(more[i], more[i + 1]);
    }
    return settings;
  }

  public static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
