package io.asyncrpc.api.security;

/** The scopes ca-service grants, as Spring Security authorities ({@code SCOPE_<scope>}). */
final class Scopes {

  static final String TASKS_READ = "SCOPE_tasks:read";
  static final String TASKS_WRITE = "SCOPE_tasks:write";
  static final String DEVICES_ADMIN = "SCOPE_devices:admin";

  private Scopes() {}
}
