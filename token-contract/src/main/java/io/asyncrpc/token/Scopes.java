package io.asyncrpc.token;

import java.util.List;

/**
 * The scopes a control-center client can hold; a JWT carries them space-separated in {@code scope}.
 */
public final class Scopes {

  public static final String TASKS_READ = "tasks:read";
  public static final String TASKS_WRITE = "tasks:write";
  public static final String DEVICES_ADMIN = "devices:admin";
  public static final String CLIENTS_ADMIN = "clients:admin";

  /**
   * Manage the tenant's webhook endpoints, and so receive every event of the tenant that they
   * subscribe to (finished tasks with their results included): a scope of its own.
   */
  public static final String WEBHOOKS_ADMIN = "webhooks:admin";

  /** Every scope, in the order tokens list them. */
  public static final List<String> ALL =
      List.of(TASKS_READ, TASKS_WRITE, DEVICES_ADMIN, CLIENTS_ADMIN, WEBHOOKS_ADMIN);

  /** The prefix Spring Security's resource server gives each scope as an authority. */
  public static final String AUTHORITY_PREFIX = "SCOPE_";

  private Scopes() {}

  /** The Spring Security authority of a scope, for example {@code SCOPE_tasks:read}. */
  public static String authority(String scope) {
    return AUTHORITY_PREFIX + scope;
  }
}
