package org.openautoglm.oag.coordinator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One coordinator as its peers see it: an id, the host, its Raft port and its
 * API port. Parsed from {@code id=host:raftPort[:apiPort]}; when the API port
 * is left out it follows the port convention (API port = Raft port - 10, so
 * c1 is 7070 beside Raft 7080).
 */
public record PeerAddress(String id, String host, int raftPort, int apiPort) {

  public PeerAddress {
    if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new IllegalArgumentException("peer id must be 1-64 letters, digits, '.', '_' or '-': " + id);
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("peer " + id + ": host is empty");
    }
    checkPort(id, "raft", raftPort);
    checkPort(id, "api", apiPort);
  }

  public String raftAddress() {
    return host + ":" + raftPort;
  }

  public String apiAddress() {
    return host + ":" + apiPort;
  }

  /** Parses {@code c1=127.0.0.1:7080,c2=127.0.0.1:7081:7071,...}; ids must be unique. */
  public static List<PeerAddress> parseList(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("peers: empty list");
    }
    List<PeerAddress> peers = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    for (String part : spec.split(",")) {
      PeerAddress peer = parse(part.trim());
      if (!ids.add(peer.id())) {
        throw new IllegalArgumentException("peers: id " + peer.id() + " appears twice");
      }
      peers.add(peer);
    }
    return List.copyOf(peers);
  }

  public static PeerAddress parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("peer '" + spec + "': expected id=host:raftPort[:apiPort]");
    }
    String id = spec.substring(0, eq);
    String[] hp = spec.substring(eq + 1).split(":");
    if (hp.length < 2 || hp.length > 3) {
      throw new IllegalArgumentException("peer '" + spec + "': expected id=host:raftPort[:apiPort]");
    }
    int raft = port(spec, hp[1]);
    int api = hp.length == 3 ? port(spec, hp[2]) : raft - 10;
    return new PeerAddress(id, hp[0], raft, api);
  }

  private static int port(String spec, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("peer '" + spec + "': port '" + text + "' is not a number");
    }
  }

  private static void checkPort(String id, String what, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("peer " + id + ": " + what + " port " + port + " is out of range");
    }
  }
}
