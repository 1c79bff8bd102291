package io.asyncrpc.ca.client;

import io.asyncrpc.ca.token.AuthenticatedClient;
import io.asyncrpc.ca.token.ClientAuthenticator;
import io.asyncrpc.token.Scopes;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * The control-center clients: checks their credentials and makes new ones. Secrets are random,
 * shown once, and stored as BCrypt hashes (prefixed with the encoder id, so the algorithm can
 * change without invalidating stored secrets).
 */
@Service
public class ClientRegistry implements ClientAuthenticator {

  private final ApiClientRepository clients;
  private final PasswordEncoder encoder =
      PasswordEncoderFactories.createDelegatingPasswordEncoder();
  private final SecureRandom random = new SecureRandom();

  /** Checked for unknown clients too, so the answer time does not tell which ids exist. */
  private final String dummyHash;

  ClientRegistry(ApiClientRepository clients) {
    this.clients = clients;
    this.dummyHash = hash("no such client");
  }

  @Override
  public Optional<AuthenticatedClient> authenticate(String id, String secret) {
    Optional<ApiClient> client =
        id == null || id.length() > 64 ? Optional.empty() : clients.find(id);
    boolean matches = encoder.matches(secret, client.map(ApiClient::secretHash).orElse(dummyHash));
    return client
        .filter(c -> matches && c.disabledAt() == null)
        .map(c -> new AuthenticatedClient(c.id(), c.tenant(), ordered(c.scopes())));
  }

  /**
   * Makes a client with a new random secret, or empty when the id is taken.
   *
   * @return the client with its secret in clear, the only time it is shown
   */
  Optional<NewClient> create(String id, String tenant, List<String> scopes) {
    String secret = newSecret();
    List<String> ordered = ordered(scopes);
    if (!clients.insert(id, tenant, hash(secret), ordered)) {
      return Optional.empty();
    }
    ApiClient stored = clients.find(id).orElseThrow();
    return Optional.of(new NewClient(id, tenant, ordered, secret, stored.createdAt()));
  }

  /** Makes the client, or gives it this tenant, scopes and secret when it exists with others. */
  void ensure(String id, String tenant, String secret, List<String> scopes) {
    List<String> ordered = ordered(scopes);
    String hash = hash(secret);
    if (clients.insert(id, tenant, hash, ordered)) {
      return;
    }
    ApiClient existing = clients.find(id).orElseThrow();
    if (!encoder.matches(secret, existing.secretHash())
        || !existing.tenant().equals(tenant)
        || !existing.scopes().equals(ordered)
        || existing.disabledAt() != null) {
      clients.reset(id, tenant, hash, ordered);
    }
  }

  /**
   * The stored hash of {@code secret}. PasswordEncoder.encode is declared {@code @Nullable} because
   * it answers a null password with null; a password given is always encoded.
   */
  private String hash(String secret) {
    return Objects.requireNonNull(encoder.encode(secret), "a password given is encoded");
  }

  private String newSecret() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Scopes in their canonical order, unknown ones dropped. */
  private static List<String> ordered(List<String> scopes) {
    return Scopes.ALL.stream().filter(scopes::contains).toList();
  }
}
