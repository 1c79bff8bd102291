package io.asyncrpc.ca.token;

import java.util.Optional;

/** Checks client credentials; the client registry implements it. */
public interface ClientAuthenticator {

  /** The client when {@code id} exists, is enabled and {@code secret} is its secret. */
  Optional<AuthenticatedClient> authenticate(String id, String secret);
}
