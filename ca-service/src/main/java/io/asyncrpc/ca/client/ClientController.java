package io.asyncrpc.ca.client;

import io.asyncrpc.ca.token.Caller;
import io.asyncrpc.token.Scopes;
import io.asyncrpc.web.ApiException;
import io.asyncrpc.web.FieldProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Admin API of control-center clients (scope {@code clients:admin}). */
@RestController
@Tag(name = "clients", description = "Control-center clients (scope clients:admin)")
class ClientController {

  private final ClientRegistry registry;
  private final BootstrapClientProperties bootstrap;

  ClientController(ClientRegistry registry, BootstrapClientProperties bootstrap) {
    this.registry = registry;
    this.bootstrap = bootstrap;
  }

  @Operation(
      summary = "Create a client; the answer shows its secret, once",
      description =
          "The tenant defaults to the caller's; only clients of the operator tenant (the"
              + " bootstrap client's) may create clients of another tenant. A client cannot be"
              + " given a scope its creator does not hold.")
  @PostMapping("/api/v1/clients")
  ResponseEntity<NewClient> create(
      @Valid @RequestBody CreateClientRequest request, JwtAuthenticationToken authentication) {
    Caller caller = Caller.of(authentication);
    String tenant = Objects.requireNonNullElse(request.tenant(), caller.tenant());
    if (!tenant.equals(caller.tenant()) && !caller.tenant().equals(bootstrap.tenant())) {
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          "tenant-forbidden",
          "Other tenant",
          "a client of tenant '" + caller.tenant() + "' can only create clients of its tenant");
    }
    List<String> unknown = request.scopes().stream().filter(s -> !Scopes.ALL.contains(s)).toList();
    if (!unknown.isEmpty()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "validation-failed",
          "Validation failed",
          "invalid request: 'scopes' has unknown scopes " + unknown + "; known: " + Scopes.ALL,
          List.of(new FieldProblem("scopes", "unknown scopes " + unknown)));
    }
    List<String> notHeld = request.scopes().stream().filter(s -> !caller.holds(s)).toList();
    if (!notHeld.isEmpty()) {
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          "scope-forbidden",
          "Scope not held",
          "the caller cannot grant scopes it does not hold: " + notHeld);
    }
    NewClient created =
        registry
            .create(request.id(), tenant, request.scopes())
            .orElseThrow(
                () ->
                    new ApiException(
                        HttpStatus.CONFLICT,
                        "client-exists",
                        "Client exists",
                        "a client with id '" + request.id() + "' exists"));
    return ResponseEntity.created(URI.create("/api/v1/clients/" + created.id()))
        .cacheControl(CacheControl.noStore())
        .body(created);
  }
}
