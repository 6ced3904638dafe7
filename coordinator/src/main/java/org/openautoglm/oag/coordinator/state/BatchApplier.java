package org.openautoglm.oag.coordinator.state;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openautoglm.oag.command.v1.Command;
import org.openautoglm.oag.command.v1.CommandBatch;
import org.openautoglm.oag.command.v1.CommandHeader;
import org.openautoglm.oag.command.v1.CommandResult;
import org.openautoglm.oag.coordinator.state.CommandValidator.Violation;
import org.openautoglm.oag.state.v1.DedupeRecord;

/**
 * Applies the commands of one batch, in order, to a {@link WorkingSet}, then
 * expires what replicated time has outlived and the events beyond the
 * retained count. Per command:
 *
 * <ol>
 *   <li>header term != entry term: STALE_TERM, nothing changes (not even time);
 *   <li>replicated time moves to max(time, header time);
 *   <li>a body or version this build does not understand: "ignored" when the
 *       header says ignorable, otherwise {@link IllegalStateException} (the
 *       node must stop rather than diverge);
 *   <li>a malformed idempotency key: INVALID_ARGUMENT, not remembered;
 *   <li>a known (client id, request id) within the TTL: the stored result when
 *       the request hash matches, FAILED_PRECONDITION when it does not;
 *   <li>validation, then the body's applier; the result is remembered under
 *       the key.
 * </ol>
 *
 * Deterministic; apply thread only; holds no state between batches.
 */
final class BatchApplier {

  private final CommandDispatcher dispatcher;
  private final long dedupeTtlMs;
  private final long retentionMs;
  private final long eventRetention;

  BatchApplier(CommandDispatcher dispatcher, StoreSettings settings) {
    this.dispatcher = dispatcher;
    this.dedupeTtlMs = settings.dedupeTtl().toMillis();
    this.retentionMs = settings.terminalTaskRetention().toMillis();
    this.eventRetention = settings.eventRetention();
  }

  /** How many rows the end-of-batch expiry deleted. */
  record Expired(int tasks, int dedupeRows, long events) {}

  List<CommandResult> apply(WorkingSet ws, long term, CommandBatch batch) throws IOException {
    List<CommandResult> results = new ArrayList<>(batch.getCommandsCount());
    for (Command command : batch.getCommandsList()) {
      results.add(applyOne(ws, term, command));
    }
    return results;
  }

  /**
   * Deletes dedupe rows older than the TTL and terminal tasks past retention, as of now,
   * and the oldest events beyond the retained count.
   */
  Expired expire(WorkingSet ws) {
    int dedupeRows = ws.evictDedupeBefore(ws.timeMs() - dedupeTtlMs);
    int tasks = ws.purgeFinishedBefore(ws.timeMs() - retentionMs);
    long events = ws.purgeEventsBeyond(eventRetention);
    return new Expired(tasks, dedupeRows, events);
  }

  CommandResult applyOne(WorkingSet ws, long term, Command command) throws IOException {
    CommandHeader header = command.getHeader();
    if (header.getTerm() != term) {
      return Results.staleTerm(header.getTerm(), term);
    }
    ws.advanceTime(header.getTimeMs());
    if (!dispatcher.understands(command)) {
      if (header.getIgnorable()) {
        return Results.ignored();
      }
      throw new IllegalStateException("cannot apply command: body " + command.getBodyCase()
          + ", version " + Integer.toUnsignedString(header.getVersion()) + " (this build knows up to "
          + CommandDispatcher.SUPPORTED_VERSION + "); a newer coordinator must apply this log");
    }
    Optional<Violation> badHeader = CommandValidator.validateHeader(header);
    if (badHeader.isPresent()) {
      return Results.invalid(badHeader.get());
    }
    if (header.getClientId().isEmpty()) {
      return execute(ws, command);
    }
    String key = Keys.dedupeKey(header.getClientId(), header.getRequestId());
    ByteString hash = Records.requestHash(command);
    DedupeRecord prior = ws.dedupe(key);
    if (prior != null && prior.getTimeMs() >= ws.timeMs() - dedupeTtlMs) {
      if (prior.getRequestHash().equals(hash)) {
        return Records.parse(CommandResult.parser(), prior.getResult().toByteArray(), "dedupe result");
      }
      return Results.failedPrecondition(
          "request id " + header.getRequestId() + " was already used for a different request");
    }
    CommandResult result = execute(ws, command);
    if (isRemembered(result)) {
      ws.putDedupe(key, DedupeRecord.newBuilder()
          .setRequestHash(hash)
          .setResult(Records.toByteString(result))
          .setTimeMs(ws.timeMs())
          .build());
    }
    return result;
  }

  private CommandResult execute(WorkingSet ws, Command command) {
    Optional<Violation> bad = dispatcher.validateBody(command);
    return bad.isPresent() ? Results.invalid(bad.get()) : dispatcher.apply(ws, command);
  }

  private static boolean isRemembered(CommandResult result) {
    return switch (result.getCode()) {
      case OK, NOT_FOUND, FAILED_PRECONDITION, INVALID_ARGUMENT -> true;
      case STALE_TERM, UNRECOGNIZED -> false;
    };
  }
}
