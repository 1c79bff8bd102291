package io.asyncrpc.api.task;

import org.springframework.stereotype.Component;

/**
 * The control-center client making the current request: the one place that decides {@code
 * tasks.client_id}. Until JWT authentication arrives every request belongs to {@value #LOCAL}.
 */
@Component
class CurrentClient {

  /** The client id of every request until requests are authenticated. */
  static final String LOCAL = "local";

  String id() {
    return LOCAL;
  }
}
