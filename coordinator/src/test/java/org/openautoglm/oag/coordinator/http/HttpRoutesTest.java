package org.openautoglm.oag.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The routing rules and failure modes, without a socket. */
class HttpRoutesTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private HttpRoutes routes(Supplier<Readiness> readiness, Supplier<String> cluster) {
    return new HttpRoutes("c1", registry, readiness, cluster);
  }

  @Test
  void aReadinessCheckThatThrowsReadsAsNotReady() {
    HttpReply reply = routes(() -> {
      throw new IllegalStateException("store closed");
    }, null).route(HttpMethod.GET, "/readyz");

    assertEquals(503, reply.status().code());
    assertEquals("{\"status\":\"not_ready\",\"node\":\"c1\",\"reason\":"
        + "\"readiness check failed: java.lang.IllegalStateException: store closed\"}",
        reply.body());
  }

  @Test
  void aReadinessCheckThatReturnsNullReadsAsNotReady() {
    assertEquals(503, routes(() -> null, null).route(HttpMethod.GET, "/readyz").status().code());
  }

  @Test
  void aClusterViewThatThrowsIs500AndOneThatIsMissingIs503() {
    HttpReply thrown = routes(Readiness::ready, () -> {
      throw new IllegalStateException("boom");
    }).route(HttpMethod.GET, "/v1/cluster");
    HttpReply missing = routes(Readiness::ready, () -> null).route(HttpMethod.GET, "/v1/cluster");

    assertEquals(500, thrown.status().code());
    assertEquals(503, missing.status().code());
  }

  @Test
  void unknownPathsAre404WhateverTheMethodAndKnownOnes405() {
    HttpRoutes routes = routes(Readiness::ready, null);

    assertEquals(404, routes.route(HttpMethod.DELETE, "/nope").status().code());
    assertEquals(404, routes.route(HttpMethod.POST, "/v1/cluster").status().code());
    assertEquals(405, routes.route(HttpMethod.HEAD, "/healthz").status().code());
    assertEquals(200, routes.route(HttpMethod.GET, "/healthz?verbose#top").status().code());
  }

  @Test
  void reasonsAreEscapedIntoValidJson() {
    HttpReply reply = routes(() -> Readiness.notReady("say \"no\"\\\n\u0001"), null)
        .route(HttpMethod.GET, "/readyz");

    assertEquals("{\"status\":\"not_ready\",\"node\":\"c1\",\"reason\":"
        + "\"say \\\"no\\\"\\\\\\n\\u0001\"}", reply.body());
  }

  @Test
  void notReadyNeedsAReason() {
    assertThrows(IllegalArgumentException.class, () -> Readiness.notReady(" "));
    assertThrows(IllegalArgumentException.class, () -> new Readiness(false, null));
  }
}
