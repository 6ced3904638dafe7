package org.openautoglm.oag.coordinator.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** What a route answers, before it becomes a Netty response. */
record HttpReply(HttpResponseStatus status, String contentType, String body) {

  static final String JSON = "application/json";

  static HttpReply json(HttpResponseStatus status, String body) {
    return new HttpReply(status, JSON, body);
  }

  static HttpReply error(HttpResponseStatus status, String error, String... details) {
    String[] fields = new String[details.length + 2];
    fields[0] = "error";
    fields[1] = error;
    System.arraycopy(details, 0, fields, 2, details.length);
    return json(status, Json.object(fields));
  }
}
