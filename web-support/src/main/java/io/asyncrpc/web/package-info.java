/**
 * What the HTTP services share, in one copy: RFC 9457 problems with a stable {@code type} per
 * error, from controllers, the error page and Tomcat alike; strict snake_case JSON; OpenAPI
 * defaults; a lost database as a {@code 503} with {@code Retry-After}. A service gets all of it by
 * depending on this module ({@link io.asyncrpc.web.WebSupportAutoConfiguration}).
 */
@NullMarked
package io.asyncrpc.web;

import org.jspecify.annotations.NullMarked;
