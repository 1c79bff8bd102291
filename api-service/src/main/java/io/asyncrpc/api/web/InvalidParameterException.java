package io.asyncrpc.api.web;

import io.asyncrpc.web.ApiException;
import io.asyncrpc.web.FieldProblem;
import java.util.List;
import org.springframework.http.HttpStatus;

/** A query parameter, path variable or header has a value the API does not accept. */
public class InvalidParameterException extends ApiException {

  public InvalidParameterException(String name, String message) {
    super(
        HttpStatus.BAD_REQUEST,
        "invalid-parameter",
        "Invalid parameter",
        "parameter '" + name + "' " + message,
        List.of(new FieldProblem(name, message)));
  }
}
