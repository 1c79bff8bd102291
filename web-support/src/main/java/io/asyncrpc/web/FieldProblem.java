package io.asyncrpc.web;

import org.jspecify.annotations.Nullable;

/**
 * One invalid field of a request, listed in a problem's {@code errors} array.
 *
 * @param field the JSON field, query parameter, path variable or header, as the client spelled it
 * @param message what is wrong with it
 */
public record FieldProblem(String field, @Nullable String message) {}
