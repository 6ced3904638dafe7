package org.openautoglm.oag.client;

import io.grpc.Metadata;

/**
 * The trailer keys of the coordinator's error protocol. Servers (and test fakes) attach
 * them to a failing status; {@code StatusMapper} reads them.
 */
public final class OagTrailers {
  /** Member id of the leader, on UNAVAILABLE "not leader ...". */
  public static final Metadata.Key<String> LEADER_ID =
      Metadata.Key.of("oag-leader-id", Metadata.ASCII_STRING_MARSHALLER);
  /** host:port of the leader's API, on UNAVAILABLE "not leader ..."; absent when unknown. */
  public static final Metadata.Key<String> LEADER_ADDRESS =
      Metadata.Key.of("oag-leader-address", Metadata.ASCII_STRING_MARSHALLER);
  /** "true" when the write may or may not have been applied. */
  public static final Metadata.Key<String> INDETERMINATE =
      Metadata.Key.of("oag-indeterminate", Metadata.ASCII_STRING_MARSHALLER);
  /** Field path of an INVALID_ARGUMENT, e.g. {@code spec.command}. */
  public static final Metadata.Key<String> FIELD =
      Metadata.Key.of("oag-field", Metadata.ASCII_STRING_MARSHALLER);

  /** Prefix of the description of a not-leader UNAVAILABLE. */
  public static final String NOT_LEADER_PREFIX = "not leader";

  private OagTrailers() {}
}
