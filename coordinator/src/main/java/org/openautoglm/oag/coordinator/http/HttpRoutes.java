package org.openautoglm.oag.coordinator.http;

import static io.netty.handler.codec.http.HttpResponseStatus.INTERNAL_SERVER_ERROR;
import static io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps (method, URI) to a reply; no I/O of its own, so it is tested without a socket. Every
 * resource is GET-only: an unknown path is 404 whatever the method, a known path with another
 * method is 405. The query string is ignored. A supplier that throws never escapes: readiness
 * then reads as not ready, the cluster view as 500.
 */
final class HttpRoutes {

  static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Logger log = LoggerFactory.getLogger(HttpRoutes.class);

  private final String nodeId;
  private final PrometheusMeterRegistry registry;
  private final Supplier<Readiness> readiness;
  private final Supplier<String> clusterJson;
  private final Map<String, Supplier<HttpReply>> resources;

  HttpRoutes(String nodeId, PrometheusMeterRegistry registry, Supplier<Readiness> readiness,
      Supplier<String> clusterJson) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.readiness = Objects.requireNonNull(readiness, "readiness");
    this.clusterJson = clusterJson;
    Map<String, Supplier<HttpReply>> byPath = new HashMap<>();
    byPath.put("/metrics", this::metrics);
    byPath.put("/healthz", this::health);
    byPath.put("/readyz", this::readiness);
    if (clusterJson != null) {
      byPath.put("/v1/cluster", this::cluster);
    }
    this.resources = Map.copyOf(byPath);
  }

  HttpReply route(HttpMethod method, String uri) {
    String path = pathOf(uri);
    Supplier<HttpReply> resource = resources.get(path);
    if (resource == null) {
      return HttpReply.error(NOT_FOUND, "not_found", "path", path);
    }
    if (!HttpMethod.GET.equals(method)) {
      return HttpReply.error(METHOD_NOT_ALLOWED, "method_not_allowed", "method", method.name());
    }
    return resource.get();
  }

  private HttpReply metrics() {
    return new HttpReply(OK, PROMETHEUS_CONTENT_TYPE, registry.scrape());
  }

  private HttpReply health() {
    return HttpReply.json(OK, Json.object("status", "ok", "node", nodeId));
  }

  private HttpReply readiness() {
    Readiness answer;
    try {
      answer = readiness.get();
    } catch (RuntimeException e) {
      log.warn("event=readiness_check_failed node={}", nodeId, e);
      answer = Readiness.notReady("readiness check failed: " + e);
    }
    if (answer == null) {
      answer = Readiness.notReady("readiness unknown");
    }
    if (answer.isReady()) {
      return HttpReply.json(OK, Json.object("status", "ready", "node", nodeId));
    }
    return HttpReply.json(SERVICE_UNAVAILABLE,
        Json.object("status", "not_ready", "node", nodeId, "reason", answer.reason()));
  }

  private HttpReply cluster() {
    String body;
    try {
      body = clusterJson.get();
    } catch (RuntimeException e) {
      log.warn("event=cluster_view_failed node={}", nodeId, e);
      return HttpReply.error(INTERNAL_SERVER_ERROR, "internal", "node", nodeId);
    }
    if (body == null) {
      return HttpReply.error(SERVICE_UNAVAILABLE, "cluster_view_unavailable", "node", nodeId);
    }
    return HttpReply.json(OK, body);
  }

  /** The path of an origin-form request target: everything before '?' or '#'. */
  static String pathOf(String uri) {
    int end = uri.length();
    int query = uri.indexOf('?');
    int fragment = uri.indexOf('#');
    if (query >= 0) {
      end = query;
    }
    if (fragment >= 0 && fragment < end) {
      end = fragment;
    }
    return uri.substring(0, end);
  }
}
