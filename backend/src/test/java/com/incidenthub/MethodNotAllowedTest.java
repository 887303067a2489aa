package com.incidenthub;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.incidenthub.testing.ErrorBodies;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.SharedHubTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Every wrong method on every path answers 405 with Allow")
class MethodNotAllowedTest extends SharedHubTest {
  private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
      HttpMethod.PATCH, HttpMethod.DELETE);

  /** Each path and the methods it allows, at the root and under /api. */
  static Stream<Arguments> wrongMethods() {
    List<Arguments> paths = List.of(
        Arguments.of("/incidents", "GET, POST"),
        Arguments.of("/incidents/some-id", "GET, PATCH"),
        Arguments.of("/incidents/some-id/history", "GET"),
        Arguments.of("/incidents/some-id/notes", "POST"),
        Arguments.of("/channels", "GET"),
        Arguments.of("/health", "GET"));
    return Stream.concat(paths.stream(), paths.stream()
            .map(path -> Arguments.of("/api" + path.get()[0], path.get()[1])))
        .flatMap(path -> METHODS.stream()
            .filter(method -> !Arrays.asList(((String) path.get()[1]).split(", ")).contains(method.name()))
            .map(method -> Arguments.of(method, path.get()[0], path.get()[1])));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("wrongMethods")
  void answers405(HttpMethod method, String path, String allowed) {
    HttpResponse<Buffer> response = RunningHub.await(hub.request(method, path).send());

    assertAll(
        () -> assertEquals(405, response.statusCode()),
        () -> assertEquals(allowed, response.getHeader("Allow")),
        () -> assertEquals("METHOD_NOT_ALLOWED", ErrorBodies.errorCode(response)));
  }

  @ParameterizedTest(name = "{0} /ws")
  @MethodSource("socketMethods")
  void socketPathAnswers405(HttpMethod method) {
    HttpResponse<Buffer> response = RunningHub.await(hub.request(method, "/ws").send());

    assertEquals(405, response.statusCode());
    assertEquals("GET", response.getHeader("Allow"));
  }

  static Stream<HttpMethod> socketMethods() {
    return METHODS.stream().filter(method -> method != HttpMethod.GET);
  }
}
