package io.asyncrpc.api.web;

import org.springframework.http.HttpStatus;

/**
 * {@link io.asyncrpc.web.ApiException} under the name the device feature still imports; it adds
 * nothing. New code extends {@link io.asyncrpc.web.ApiException}; this class goes once {@code
 * device/} does too.
 */
public class ApiException extends io.asyncrpc.web.ApiException {

  public ApiException(HttpStatus status, String slug, String title, String detail) {
    super(status, slug, title, detail);
  }
}
