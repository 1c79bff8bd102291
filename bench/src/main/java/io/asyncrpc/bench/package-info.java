/**
 * Benchmarks that print figures beside a baseline measured in the same run; no benchmark asserts a
 * speed.
 */
@NullMarked
package io.asyncrpc.bench;

import org.jspecify.annotations.NullMarked;
