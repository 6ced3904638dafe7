package org.openautoglm.oag.coordinator.state;

/**
 * A stored task as its in-memory view has it: its id and the version (the log index of its
 * last change) of the record. Every change gives a task a new version, so what was built from
 * one version holds until the version moves.
 */
public record TaskVersion(String id, long version) {}
