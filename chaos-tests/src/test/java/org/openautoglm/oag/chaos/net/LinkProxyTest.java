package org.openautoglm.oag.chaos.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The proxy between real loopback sockets: a client on one side, a small server on the other. */
class LinkProxyTest {

  private static final InetSocketAddress ANY_LOOPBACK_PORT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private final List<Socket> clients = new ArrayList<>();
  private LoopbackServer echo;
  private LinkProxy proxy;

  @BeforeEach
  void startEchoBehindProxy() throws IOException {
    echo = new LoopbackServer(
        socket -> socket.getInputStream().transferTo(socket.getOutputStream()));
    proxy = LinkProxy.start(ANY_LOOPBACK_PORT, echo.address(), new SplittableRandom(42));
  }

  @AfterEach
  void stopAll() throws IOException {
    for (Socket client : clients) {
      client.close();
    }
    proxy.close();
    echo.close();
  }

  @Test
  void bytesRoundTripUnchangedAndAHalfCloseReachesTheNodeAfterTheData() throws Exception {
    Socket client = connect(proxy);
    assertThat(roundTrip(client, "hello".getBytes())).isEqualTo("hello".getBytes());

    byte[] payload = new byte[4 << 20];
    new SplittableRandom(7).nextBytes(payload);
    // The echo answers while it reads, so the client must read while it writes.
    CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
      write(client, payload);
      shutdownOutput(client);
    });
    byte[] back = client.getInputStream().readAllBytes(); // to the echo's FIN, passed back
    sent.get(5, TimeUnit.SECONDS);

    assertThat(back.length).isEqualTo(payload.length);
    assertThat(Arrays.mismatch(back, payload)).as("first differing byte").isEqualTo(-1);
    await().until(() -> proxy.connections() == 0);
  }

  @Test
  void latencyDelaysEachDirection() throws IOException {
    Socket client = connect(proxy);
    roundTrip(client, new byte[] {1}); // the link to the echo is up: only the chunks are timed

    proxy.latency(Duration.ofMillis(100), Duration.ZERO);
    long start = System.nanoTime();
    roundTrip(client, new byte[] {2});
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(elapsedMillis).isGreaterThanOrEqualTo(200);
    proxy.latency(Duration.ZERO, Duration.ZERO);
    assertThat(roundTrip(client, new byte[] {3})).containsExactly(3);
  }

  @Test
  void jitterNeverReordersALinksChunks() throws IOException {
    proxy.latency(Duration.ofMillis(1), Duration.ofMillis(20));
    Socket client = connect(proxy);
    int count = 1_000;
    OutputStream out = client.getOutputStream();
    for (int i = 0; i < count; i++) {
      out.write(ByteBuffer.allocate(Integer.BYTES).putInt(i).array()); // one write, one segment
    }

    DataInputStream in = new DataInputStream(client.getInputStream());
    for (int i = 0; i < count; i++) {
      assertThat(in.readInt()).isEqualTo(i);
    }
  }

  @Test
  void resetAllResetsBothSidesOfEveryLink() throws IOException {
    Socket client = connect(proxy);
    roundTrip(client, new byte[] {1});
    CompletableFuture<Integer> blockedRead = CompletableFuture.supplyAsync(() -> read(client));

    proxy.resetAll();

    assertThatThrownBy(() -> blockedRead.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(UncheckedIOException.class)
        .cause().isInstanceOf(SocketException.class).hasMessageContaining("reset");
    await().until(() -> echo.resets() == 1);
    await().until(() -> proxy.connections() == 0);
    assertThat(proxy.resets()).isEqualTo(1);
  }

  @Test
  void refusingResetsNewConnectionsOnlyUntilTurnedOff() throws IOException {
    Socket before = connect(proxy);
    roundTrip(before, new byte[] {1});

    proxy.refuse(true);
    // The kernel completes the handshake and the proxy resets it: the reset reaches the
    // client in connect when it comes before connect has returned, else in the first read.
    assertThatThrownBy(() -> connect(proxy).getInputStream().read())
        .isInstanceOf(SocketException.class).hasMessageContaining("reset");
    assertThat(roundTrip(before, new byte[] {2})).containsExactly(2);
    assertThat(proxy.resets()).isEqualTo(1);

    proxy.refuse(false);
    assertThat(roundTrip(connect(proxy), new byte[] {3})).containsExactly(3);
  }

  @Test
  void closeEndsTheLinksAndFreesThePortAndThreads() throws IOException {
    Socket client = connect(proxy);
    roundTrip(client, new byte[] {1});
    InetSocketAddress address = proxy.address();

    proxy.close();

    assertThat(client.getInputStream().read()).isEqualTo(-1);
    try (ServerSocket again = new ServerSocket()) {
      again.setReuseAddress(true);
      again.bind(address);
    }
    String threadPrefix = "oag-link-proxy-" + echo.address().getPort() + "-";
    await().until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith(threadPrefix)));
  }

  /**
   * A node that writes as fast as it can to a client that never reads: without backpressure
   * the proxy would take all of it into memory; with it, the node's writes block once the
   * socket buffers on the way (a few MiB each) are full.
   */
  @ParameterizedTest(name = "latency {0} ms")
  @ValueSource(ints = {0, 20})
  void aClientThatDoesNotReadHoldsBackTheNode(int latencyMillis) throws IOException {
    AtomicLong written = new AtomicLong();
    byte[] chunk = new byte[64 << 10];
    try (LoopbackServer firehose = new LoopbackServer(socket -> {
      OutputStream out = socket.getOutputStream();
      // Bounded: far past where backpressure must stop it, and the test fails long before.
      for (long sent = 0; sent < 256L << 20; sent += chunk.length) {
        out.write(chunk);
        written.addAndGet(chunk.length);
      }
    });
        LinkProxy slowLink = LinkProxy.start(ANY_LOOPBACK_PORT, firehose.address())) {
      slowLink.latency(Duration.ofMillis(latencyMillis), Duration.ZERO);
      Socket client = connect(slowLink);
      long bound = 64L << 20;

      await().until(() -> written.get() > 1 << 20);
      await("the node's writes held back below 64 MiB")
          .during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
          .until(() -> written.get() < bound);
      assertThat(client.getInputStream().readNBytes(chunk.length)).hasSize(chunk.length);
    }
  }

  private Socket connect(LinkProxy through) throws IOException {
    Socket socket = new Socket();
    clients.add(socket);
    socket.setSoTimeout(5_000);
    socket.setTcpNoDelay(true);
    socket.connect(through.address(), 5_000);
    return socket;
  }

  private static byte[] roundTrip(Socket socket, byte[] message) throws IOException {
    socket.getOutputStream().write(message);
    return socket.getInputStream().readNBytes(message.length);
  }

  private static void write(Socket socket, byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void shutdownOutput(Socket socket) {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int read(Socket socket) {
    try {
      return socket.getInputStream().read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a {@link LoopbackServer} does with each connection, on a thread of its own. */
  private interface Session {
    void serve(Socket socket) throws IOException;
  }

  /**
   * A plain-socket server on 127.0.0.1, a thread per connection; counts the connections that
   * ended in a reset from the other side.
   */
  private static final class LoopbackServer implements AutoCloseable {
    private final ServerSocket server;
    private final Session session;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger resets = new AtomicInteger();

    LoopbackServer(Session session) throws IOException {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      this.session = session;
      daemon("loopback-server-accept", this::acceptLoop).start();
    }

    InetSocketAddress address() {
      return (InetSocketAddress) server.getLocalSocketAddress();
    }

    int resets() {
      return resets.get();
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          open.add(socket);
          daemon("loopback-server-session", () -> serve(socket)).start();
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    private void serve(Socket socket) {
      try (socket) {
        session.serve(socket);
      } catch (SocketException e) {
        if (String.valueOf(e.getMessage()).contains("reset")) {
          resets.incrementAndGet();
        }
      } catch (IOException e) {
        // the session ends with its connection
      } finally {
        open.remove(socket);
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket socket : open) {
        socket.close();
      }
    }

    private static Thread daemon(String name, Runnable body) {
      Thread thread = new Thread(body, name);
      thread.setDaemon(true);
      return thread;
    }
  }
}
