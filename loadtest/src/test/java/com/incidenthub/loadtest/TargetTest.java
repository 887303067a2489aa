package com.incidenthub.loadtest;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Where the requests and sockets go, and what they carry for a hub that asks for tokens. */
class TargetTest {

  @Test
  @DisplayName("with --token every request and every socket carries Authorization: Bearer")
  void token() {
    Target target = Target.of("http://127.0.0.1:8080/api", null, false, "intake-0d93b7e25c4a1f68");

    assertEquals("Bearer intake-0d93b7e25c4a1f68",
        target.request(HttpMethod.POST, "/incidents").getHeaders().get("Authorization"));
    assertEquals("Bearer intake-0d93b7e25c4a1f68", target.socket("channels=a").getHeaders().get("Authorization"));
    assertEquals("/api/incidents", target.request(HttpMethod.POST, "/incidents").getURI());
    assertEquals("/ws?channels=a", target.socket("channels=a").getURI());
  }

  @Test
  @DisplayName("without a token nothing is added, as an open-mode hub expects")
  void noToken() {
    Target target = Target.of("http://127.0.0.1:8081", null, false, null);

    assertNull(target.request(HttpMethod.GET, "/health").getHeaders());
    assertNull(target.socket("").getHeaders());
  }
}
