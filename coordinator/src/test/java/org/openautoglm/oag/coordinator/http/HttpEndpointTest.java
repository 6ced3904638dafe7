package org.openautoglm.oag.coordinator.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real endpoint on an ephemeral loopback port, spoken to over real HTTP. */
class HttpEndpointTest {

  private static final String HOST = "127.0.0.1";

  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final AtomicReference<Readiness> readiness =
      new AtomicReference<>(Readiness.notReady("no leader known"));
  private CoordinatorMeters meters;
  private HttpEndpoint endpoint;

  @BeforeEach
  void start() throws IOException {
    meters = CoordinatorMeters.create("c1");
    endpoint = HttpEndpoint.start(HOST, 0, "c1", meters.registry(), readiness::get,
        () -> "{\"leader\":\"c1\",\"members\":[\"c1\",\"c2\",\"c3\"]}");
  }

  @AfterEach
  void stop() {
    endpoint.close();
    meters.close();
  }

  @Test
  void healthzSaysOkWithTheNodeId() throws Exception {
    HttpResponse<String> response = get("/healthz");

    assertEquals(200, response.statusCode());
    assertEquals("{\"status\":\"ok\",\"node\":\"c1\"}", response.body());
    assertEquals("application/json", contentType(response));
  }

  @Test
  void metricsExposeRegisteredMetersAndJvmMetersWithTheNodeTag() throws Exception {
    Counter.builder("oag.test.proposals").register(meters.registry()).increment(3);

    HttpResponse<String> response = get("/metrics?name[]=ignored");

    assertEquals(200, response.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", contentType(response));
    assertTrue(response.body().contains("oag_test_proposals_total{node=\"c1\"} 3.0"),
        response.body());
    assertTrue(response.body().contains("jvm_threads_live_threads{node=\"c1\"}"));
    assertTrue(response.body().contains("process_uptime_seconds{node=\"c1\"}"));
  }

  @Test
  void readyzTurnsFrom503To200WhenTheCheckSaysReady() throws Exception {
    HttpResponse<String> notReady = get("/readyz");
    assertEquals(503, notReady.statusCode());
    assertEquals("{\"status\":\"not_ready\",\"node\":\"c1\",\"reason\":\"no leader known\"}",
        notReady.body());

    readiness.set(Readiness.ready());

    HttpResponse<String> ready = get("/readyz");
    assertEquals(200, ready.statusCode());
    assertEquals("{\"status\":\"ready\",\"node\":\"c1\"}", ready.body());
  }

  @Test
  void clusterServesTheSuppliedJson() throws Exception {
    HttpResponse<String> response = get("/v1/cluster");

    assertEquals(200, response.statusCode());
    assertEquals("{\"leader\":\"c1\",\"members\":[\"c1\",\"c2\",\"c3\"]}", response.body());
  }

  @Test
  void clusterIsNotFoundWithoutASupplier() throws Exception {
    try (HttpEndpoint bare = HttpEndpoint.start(HOST, 0, "c9", meters.registry(),
        Readiness::ready, null)) {
      HttpResponse<String> response = client.send(
          request(bare.port(), "/v1/cluster").GET().build(), BodyHandlers.ofString());

      assertEquals(404, response.statusCode());
    }
  }

  @Test
  void unknownPathIsNotFoundJson() throws Exception {
    HttpResponse<String> response = get("/nope");

    assertEquals(404, response.statusCode());
    assertEquals("{\"error\":\"not_found\",\"path\":\"/nope\"}", response.body());
  }

  @Test
  void otherMethodsAreNotAllowed() throws Exception {
    HttpResponse<String> response = send(
        request("/healthz").POST(BodyPublishers.ofString("{}")).build());

    assertEquals(405, response.statusCode());
    assertEquals("GET", response.headers().firstValue("allow").orElseThrow());
  }

  @Test
  void bodiesOver64KiBAreTooLargeAndTheLimitItselfIsNot() throws Exception {
    byte[] limit = new byte[HttpPipeline.MAX_CONTENT_BYTES];
    byte[] over = new byte[HttpPipeline.MAX_CONTENT_BYTES + 1];

    assertEquals(405, send(request("/metrics").PUT(BodyPublishers.ofByteArray(limit)).build())
        .statusCode());
    assertEquals(413, send(request("/metrics").PUT(BodyPublishers.ofByteArray(over)).build())
        .statusCode());
    assertEquals(200, get("/healthz").statusCode());
  }

  @Test
  void garbageClosesItsConnectionAndOthersAreStillServed() throws Exception {
    assertEquals(200, get("/healthz").statusCode());

    try (Socket socket = new Socket(HOST, endpoint.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
      out.write("\u00ff\u00fe not http at all\r\n\r\n".getBytes(US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();

      assertEquals(-1, in.read(), "the server should close a connection it cannot decode");
    }

    assertEquals(200, get("/healthz").statusCode());
  }

  @Test
  void closeReleasesThePortAndStopsItsThreads() throws Exception {
    HttpEndpoint first = HttpEndpoint.start(HOST, 0, "c7", meters.registry(), Readiness::ready,
        null);
    int port = first.port();
    assertTrue(threadsNamed("oag-http-c7-") > 0);
    assertEquals(200, client.send(request(port, "/healthz").GET().build(),
        BodyHandlers.ofString()).statusCode());

    first.close();
    first.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> threadsNamed("oag-http-c7-") == 0);
    try (HttpEndpoint again = HttpEndpoint.start(HOST, port, "c7", meters.registry(),
        Readiness::ready, null)) {
      assertEquals(port, again.port());
      // A client of its own: the shared one may still pool the connection the first endpoint
      // closed, and a request sent down it waits out its timeout instead of reaching this one.
      HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      assertEquals(200, fresh.send(request(port, "/healthz").GET().build(),
          BodyHandlers.ofString()).statusCode());
    }
  }

  @Test
  void aTakenPortFailsTheStartAndLeavesNoThreads() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      assertThrows(IOException.class, () -> HttpEndpoint.start(HOST, taken.getLocalPort(), "c8",
          meters.registry(), Readiness::ready, null));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> threadsNamed("oag-http-c8-") == 0);
  }

  @Test
  void threadsAreDaemonsNamedAfterTheNode() throws Exception {
    // The I/O thread starts with the first connection.
    assertEquals(200, get("/healthz").statusCode());

    assertTrue(Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("oag-http-c1-"))
        .allMatch(Thread::isDaemon));
    assertEquals(2, threadsNamed("oag-http-c1-"));
  }

  private static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
        .count();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(request(path).GET().build());
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return request(endpoint.port(), path);
  }

  private static HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + path))
        .timeout(Duration.ofSeconds(10));
  }

  private static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("content-type").orElseThrow();
  }
}
