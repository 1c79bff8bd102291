package io.asyncrpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Tests for {@link Problems}. */
class ProblemsTests {

  @Test
  void aTypeIsTheUrnOfItsSlug() {
    assertThat(Problems.type("not-found"))
        .isEqualTo(URI.create("urn:iot-async-rpc:problem:not-found"));
  }

  @Test
  void aProblemListsItsErrorsOnlyWhenThereAreSome() {
    ProblemDetail without = Problems.of(HttpStatus.CONFLICT, "x", "X", "detail", List.of());
    ProblemDetail with =
        Problems.of(
            HttpStatus.BAD_REQUEST, "y", "Y", "detail", List.of(new FieldProblem("f", "bad")));

    assertThat(without.getStatus()).isEqualTo(409);
    assertThat(without.getTitle()).isEqualTo("X");
    assertThat(without.getDetail()).isEqualTo("detail");
    assertThat(without.getProperties()).isNull();
    assertThat(with.getProperties()).containsEntry("errors", List.of(new FieldProblem("f", "bad")));
  }

  @Test
  void everyStatusHasAGenericSlug() {
    assertThat(Problems.genericSlug(400)).isEqualTo("bad-request");
    assertThat(Problems.genericSlug(413)).isEqualTo("request-too-large");
    assertThat(Problems.genericSlug(418)).isEqualTo("client-error");
    assertThat(Problems.genericSlug(503)).isEqualTo("service-unavailable");
    assertThat(Problems.genericSlug(502)).isEqualTo("internal-error");
  }
}
