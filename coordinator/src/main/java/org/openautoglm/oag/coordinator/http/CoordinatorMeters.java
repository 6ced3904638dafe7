package org.openautoglm.oag.coordinator.http;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;

/**
 * The meter registry of one coordinator node: Prometheus-backed, every meter tagged
 * {@code node=<id>}, with JVM memory, GC, thread, processor and uptime meters bound. The
 * coordinator registers its own meters on {@link #registry()}; {@link HttpEndpoint} serves it.
 *
 * <p>Thread-safe. {@link #close()} (idempotent) detaches the GC listeners and closes the
 * registry; call it after the HTTP endpoint is closed.
 */
public final class CoordinatorMeters implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics;

  private CoordinatorMeters(PrometheusMeterRegistry registry, JvmGcMetrics gcMetrics) {
    this.registry = registry;
    this.gcMetrics = gcMetrics;
  }

  public static CoordinatorMeters create(String nodeId) {
    Objects.requireNonNull(nodeId, "nodeId");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Common tags apply only to meters registered after them, so before any binder.
    registry.config().commonTags("node", nodeId);
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return new CoordinatorMeters(registry, gcMetrics);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}
